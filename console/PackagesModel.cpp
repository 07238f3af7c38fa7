#include "PackagesModel.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace salesbot {

PackagesModel::PackagesModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

int PackagesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_packages.size());
}

int PackagesModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString PackagesModel::formatPrice(int roubles)
{
    return tr("%1 RUB").arg(QLocale().toString(roubles));
}

QVariant PackagesModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Package& p = m_packages.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case SortOrder:
            return p.sortOrder;
        case Title:
            return p.title;
        case Code:
            return p.code;
        case Price:
            return formatPrice(p.priceFrom);
        case Timeline:
            return p.timeline;
        case Active:
            return p.active ? tr("Yes") : tr("No");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole && index.column() == Title && !p.summary.isEmpty())
        return p.summary;
    if (role == Qt::TextAlignmentRole && (index.column() == Price || index.column() == SortOrder))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::UserRole)
        return p.code;
    return {};
}

QVariant PackagesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case SortOrder:
        return tr("Order");
    case Title:
        return tr("Title");
    case Code:
        return tr("Code");
    case Price:
        return tr("Price from");
    case Timeline:
        return tr("Timeline");
    case Active:
        return tr("Active");
    default:
        return {};
    }
}

void PackagesModel::setPackages(const QList<Package>& packages)
{
    beginResetModel();
    m_packages = packages;
    endResetModel();
}

int PackagesModel::rowOf(const QString& code) const
{
    for (qsizetype i = 0; i < m_packages.size(); ++i) {
        if (m_packages.at(i).code == code)
            return int(i);
    }
    return -1;
}

int PackagesModel::upsert(const Package& package)
{
    const int row = rowOf(package.code);
    if (row >= 0) {
        m_packages[row] = package;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return row;
    }
    const int last = int(m_packages.size());
    beginInsertRows({}, last, last);
    m_packages.append(package);
    endInsertRows();
    return last;
}

} // namespace salesbot
