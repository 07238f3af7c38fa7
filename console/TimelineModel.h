#pragma once

// One user's bot events, newest first, for the timeline pane of the "Users & activity" tab: keyset pages of
// ActivityRepository::timeline loaded asynchronously on the session's database thread.

#include "ActivityRepository.h"
#include "PagedTableModel.h"

#include <QHash>

namespace salesbot {

class TimelineModel final : public PagedRows<TimelinePage>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineModel)

public:
    enum Column
    {
        Time,
        Action,
        Package,
        Details,
        ColumnCount,
    };

    explicit TimelineModel(ConsoleSession& session, QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Shows this user's events (0: none) and loads the first page.
    void setTelegramId(qint64 telegramId);
    qint64 telegramId() const { return m_telegramId; }
    void refresh();
    // Loads the events shown again, keeping their number (a live update; shownRefreshed()).
    void refreshShown();
    const TimelineEvent& event(int row) const { return m_rows.at(row); }
    // Package titles by code, for the package column (a code without one shows as itself).
    void setPackageTitles(const QHash<QString, QString>& titles);

    // The name a manager reads for an action code ("package_view" → "Viewed a package").
    static QString actionName(const QString& action);

private:
    PageQuery pageQuery() const override;
    qint64 rowId(const TimelineEvent& row) const override { return row.id; }

    qint64 m_telegramId = 0;
    QHash<QString, QString> m_packageTitles;
};

} // namespace salesbot
