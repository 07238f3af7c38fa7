#pragma once

// How the console writes times: in the operator's time zone and locale, one format in every view.

#include <QDateTime>
#include <QString>

namespace salesbot {

// "24.11.2026 16:14" (a UTC time shown in local time); empty for an invalid time.
QString localDateTime(const QDateTime& utc);

} // namespace salesbot
