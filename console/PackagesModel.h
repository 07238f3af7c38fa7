#pragma once

// The catalog's packages as a table for the Catalog tab (the catalog is a handful of rows, loaded whole).

#include "Package.h"

#include <QAbstractTableModel>

namespace salesbot {

class PackagesModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PackagesModel)

public:
    enum Column
    {
        SortOrder,
        Title,
        Code,
        Price,
        Timeline,
        Active,
        ColumnCount,
    };

    explicit PackagesModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setPackages(const QList<Package>& packages);
    const QList<Package>& packages() const { return m_packages; }
    const Package& package(int row) const { return m_packages.at(row); }
    // -1 when there is no such code.
    int rowOf(const QString& code) const;
    // Replaces the row with the same code, or appends a new one; returns its row.
    int upsert(const Package& package);

    // "15 000 ₽" in the current locale.
    static QString formatPrice(int roubles);

private:
    QList<Package> m_packages;
};

} // namespace salesbot
