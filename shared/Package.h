#pragma once

// A service package of the catalog, as the bot shows it and the console edits it.

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace salesbot {

struct Package
{
    QString code;
    QString title;
    QString summary;
    QStringList features;
    int priceFrom = 0; // roubles
    QString timeline;
    int sortOrder = 0;
    bool active = true;
    QDateTime updatedAt;

    bool operator==(const Package& other) const = default;
};

} // namespace salesbot
