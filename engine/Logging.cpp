#include "Logging.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

QString s_token;
Config::LogFormat s_format = Config::LogFormat::Text;
QMutex s_mutex;

QString levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return u"debug"_s;
    case QtInfoMsg:
        return u"info"_s;
    case QtWarningMsg:
        return u"warning"_s;
    case QtCriticalMsg:
        return u"error"_s;
    case QtFatalMsg:
        return u"fatal"_s;
    }
    return u"info"_s;
}

void handler(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    const QString line =
        Logging::formatLine(type, context.category, Config::redactToken(message, s_token), s_format);
    const QByteArray bytes = line.toUtf8() + '\n';
    QMutexLocker locker(&s_mutex);
    std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

} // namespace

QString Logging::formatLine(QtMsgType type, const char* category, const QString& message,
                            Config::LogFormat format)
{
    const QString time = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    const QString cat =
        category && qstrcmp(category, "default") != 0 ? QString::fromLatin1(category) : u"salesbot"_s;
    if (format == Config::LogFormat::Json) {
        const QJsonObject o{
            {u"time"_s, time}, {u"level"_s, levelName(type)}, {u"category"_s, cat}, {u"message"_s, message}};
        return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
    }
    QString flat = message;
    flat.replace(u'\n', u' ');
    return u"%1 %2 %3: %4"_s.arg(time, levelName(type).toUpper(), cat, flat);
}

void Logging::install(Config::LogLevel level, Config::LogFormat format, const QString& token)
{
    s_token = token;
    s_format = format;
    QString rules;
    switch (level) {
    case Config::LogLevel::Debug:
        rules = u"salesbot.*.debug=true\nsalesbot.*.info=true"_s;
        break;
    case Config::LogLevel::Info:
        rules = u"*.debug=false\nsalesbot.*.info=true"_s;
        break;
    case Config::LogLevel::Warning:
        rules = u"*.debug=false\n*.info=false"_s;
        break;
    case Config::LogLevel::Error:
        rules = u"*.debug=false\n*.info=false\n*.warning=false"_s;
        break;
    }
    QLoggingCategory::setFilterRules(rules);
    qInstallMessageHandler(handler);
}

} // namespace salesbot
