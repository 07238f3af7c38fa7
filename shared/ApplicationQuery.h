#pragma once

// What the console and the CLI ask of the applications list: filters, sort order and a keyset page.

#include "Application.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QVariant>

#include <optional>

namespace salesbot {

struct ApplicationFilter
{
    QList<ApplicationStatus> statuses; // empty: any
    QStringList packageCodes;          // empty: any; "" stands for "no package"
    QDateTime createdFrom;             // inclusive; invalid: open
    QDateTime createdTo;               // exclusive; invalid: open
    QString text;                      // number, name, phone or username contains it
    std::optional<qint64> userId;
};

enum class ApplicationSortColumn
{
    CreatedAt,
    UpdatedAt,
    Number,
    Name,
    Phone,
    Package,
    Status,
    Username,
    Assignee,
};

struct ApplicationSort
{
    ApplicationSortColumn column = ApplicationSortColumn::CreatedAt;
    bool descending = true;
};

// Where the next page starts: the sort value and id of the last row seen.
struct PageCursor
{
    QVariant sortValue;
    qint64 id = 0;
    bool isValid() const { return id != 0; }
};

struct ApplicationPage
{
    QList<Application> rows;
    PageCursor next; // invalid when this was the last page
};

} // namespace salesbot
