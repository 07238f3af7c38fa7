#include "DisplayFormat.h"

#include <QLocale>

namespace salesbot {

QString localDateTime(const QDateTime& utc)
{
    if (!utc.isValid())
        return {};
    const QDateTime local = utc.toLocalTime();
    return QLocale().toString(local.date(), QLocale::ShortFormat) + u' ' +
           local.time().toString(QStringLiteral("HH:mm"));
}

} // namespace salesbot
