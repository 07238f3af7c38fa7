#pragma once

// The salesbot-engine command line: parses the command, reads the environment, runs the command.

#include "ApplicationQuery.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTextStream>

namespace salesbot {

class Config;
class DbConnection;

class EngineCli final
{
    Q_DECLARE_TR_FUNCTIONS(EngineCli)

public:
    // The exit codes ops scripts can rely on.
    enum ExitCode
    {
        Ok = 0,
        Failure = 1,
        Usage = 2,
        Configuration = 3,
        DatabaseUnreachable = 4,
        TelegramUnreachable = 5,
    };

    EngineCli(QProcessEnvironment environment, QTextStream& out, QTextStream& err);

    // `arguments` includes the program name, as QCoreApplication::arguments() does.
    int run(const QStringList& arguments);

private:
    int runBot(const Config& config);
    int migrate(const Config& config);
    int check(const Config& config);
    int stats(const Config& config, int days);
    struct ListOptions
    {
        ApplicationFilter filter;
        qint64 limit = 0; // 0: all
        QString format;   // table, csv or json
    };
    int applications(const Config& config, const ListOptions& options);
    int activity(const Config& config, int days);
    // Reads --status, --package, --search, --limit and --format; an error message for a bad value.
    QString parseListOptions(const QCommandLineParser& parser, ListOptions& options) const;
    int shell(const Config& config);
    // Opens and migrates (when `migrateSchema`) the database, or prints why not and returns an exit code.
    int openDatabase(const Config& config, DbConnection& db, bool migrateSchema);
    QString helpText() const;

    QProcessEnvironment m_env;
    QTextStream& m_out;
    QTextStream& m_err;
};

} // namespace salesbot
