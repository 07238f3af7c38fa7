#pragma once

// The life cycle of an application: its stored codes, names in Russian and English, allowed transitions.

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>

namespace salesbot {

enum class ApplicationStatus
{
    New,
    InProgress,
    Done,
    Rejected,
};

class ApplicationStatuses
{
    Q_DECLARE_TR_FUNCTIONS(ApplicationStatuses)

public:
    static QList<ApplicationStatus> all();
    // The value stored in the database: new, in_progress, done, rejected.
    static QString code(ApplicationStatus status);
    static std::optional<ApplicationStatus> fromCode(QStringView code);
    // Open applications block a second one for the same user.
    static bool isOpen(ApplicationStatus status);
    // The name a person reads (Новая / В работе / Завершена / Отклонена), in the current translation.
    static QString displayName(ApplicationStatus status);
    // new → in progress → done or rejected; new → done or rejected; reopen done or rejected → in progress.
    static bool canChange(ApplicationStatus from, ApplicationStatus to);
};

} // namespace salesbot
