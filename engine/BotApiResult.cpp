#include "BotApiResult.h"

using namespace Qt::StringLiterals;

namespace salesbot {

QString BotApiResult::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Ok:
        return u"ok"_s;
    case Kind::NotModified:
        return u"not_modified"_s;
    case Kind::RetryAfter:
        return u"retry_after"_s;
    case Kind::Transient:
        return u"transient"_s;
    case Kind::Blocked:
        return u"blocked"_s;
    case Kind::Unauthorized:
        return u"unauthorized"_s;
    case Kind::Conflict:
        return u"conflict"_s;
    case Kind::BadRequest:
        return u"bad_request"_s;
    }
    return u"unknown"_s;
}

QString BotApiResult::summary() const
{
    QString line = kindName(kind);
    if (kind == Kind::RetryAfter)
        line += u' ' + QString::number(retryAfterSeconds) + u's';
    if (httpStatus != 0)
        line += u" http="_s + QString::number(httpStatus);
    if (errorCode != 0)
        line += u" code="_s + QString::number(errorCode);
    if (!description.isEmpty()) {
        QString text = description;
        // One line whatever the server sent.
        for (QChar& c : text) {
            if (c == u'\n' || c == u'\r' || c == u'\t')
                c = u' ';
        }
        line += u": "_s + text;
    }
    return line;
}

} // namespace salesbot
