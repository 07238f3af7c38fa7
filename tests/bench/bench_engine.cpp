// The engine's benchmark: simulated users through the whole funnel against the Bot API emulator, with the
// real salesbot-engine binary and PostgreSQL. Prints updates/s, latency from "update available" to "reply
// received" (p50, p99), the engine's peak RSS, and for the rate-limited scenario the 429s drawn.
//
//   bench_engine [--scenario funnel|ratelimit|latency|all] [--users N] [--concurrency C] [--workers W]
//                [--latency-log FILE]
// Needs SALESBOT_TEST_PG_URL (an administrative URL; scripts/bench.sh starts a throwaway server) and
// SALESBOT_ENGINE_BIN.

#include "DatabaseUrl.h"
#include "DbConnection.h"
#include "DelayProxy.h"
#include "FakeBotApi.h"
#include "ProcessStats.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QStringList>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <unistd.h>
#include <vector>

using namespace Qt::StringLiterals;
using namespace salesbot;
using salesbot::test::cpuSeconds;
using salesbot::test::FakeBotApi;
using salesbot::test::peakRssKb;

namespace {

const QString Token = u"123456:BENCH-token"_s;

void say(const QString& line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

// CPU seconds of every PostgreSQL server process (the backends come and go with connections).
double postgresCpuSeconds()
{
    double total = 0;
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs);
    for (const QString& entry : entries) {
        bool numeric = false;
        const qint64 pid = entry.toLongLong(&numeric);
        if (!numeric)
            continue;
        QFile comm(u"/proc/%1/comm"_s.arg(pid));
        if (comm.open(QIODevice::ReadOnly) && comm.readAll().trimmed() == "postgres")
            total += cpuSeconds(pid);
    }
    return total;
}

double percentile(std::vector<qint64>& values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const std::size_t index = std::min(values.size() - 1, std::size_t(p * double(values.size() - 1) + 0.5));
    return double(values[index]) / 1e6;
}

// One update of a funnel run.
struct Sample
{
    qint64 pushedNs = 0; // since the run began
    qint64 latencyNs = 0;
    int step = 0;
};

// Where in the run the slowest updates were: the seconds holding most of the updates at or above the p99,
// with their share. A tail spread over the run is the steady state; one bunched into a few seconds is an
// event (the first second's cold start, autovacuum beside the bot).
QString slowestSeconds(const std::vector<Sample>& samples, double p99Ms)
{
    std::vector<int> perSecond;
    int total = 0;
    for (const Sample& s : samples) {
        if (double(s.latencyNs) / 1e6 < p99Ms)
            continue;
        const auto second = std::size_t(std::max<qint64>(0, s.pushedNs) / 1'000'000'000);
        if (perSecond.size() <= second)
            perSecond.resize(second + 1);
        ++perSecond[second];
        ++total;
    }
    std::vector<std::size_t> order(perSecond.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return perSecond[a] > perSecond[b]; });
    QStringList parts;
    for (std::size_t i = 0; i < std::min<std::size_t>(3, order.size()) && total > 0; ++i)
        parts << u"%1–%2 s %3 %"_s.arg(order[i]).arg(order[i] + 1).arg(100 * perSecond[order[i]] / total);
    return parts.join(u", "_s);
}

bool writeLatencyLog(const QString& path, const std::vector<Sample>& samples)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    QByteArray text = "pushed_s,step,latency_ms\n";
    for (const Sample& s : samples) {
        text += QByteArray::number(double(s.pushedNs) / 1e9, 'f', 6) + ',' + QByteArray::number(s.step) +
                ',' + QByteArray::number(double(s.latencyNs) / 1e6, 'f', 3) + '\n';
    }
    return file.write(text) == text.size();
}

struct Database
{
    ConnectionSettings settings;
    std::unique_ptr<DbConnection> admin;

    bool create(const QString& name)
    {
        auto parsed = DatabaseUrl::parse(qEnvironmentVariable("SALESBOT_TEST_PG_URL"));
        if (!parsed) {
            say(u"SALESBOT_TEST_PG_URL: "_s + parsed.error());
            return false;
        }
        admin = std::make_unique<DbConnection>(*parsed, u"bench-admin"_s);
        if (auto opened = admin->open(); !opened) {
            say(opened.error().message());
            return false;
        }
        admin->execDirect(u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(name), u"drop"_s);
        admin->execDirect(u"CREATE DATABASE %1"_s.arg(name), u"create"_s);
        settings = *parsed;
        settings.databaseName = name;
        return true;
    }
};

// Drives users through the funnel, each waiting for the bot's answer before its next step.
class Funnel final : public QObject
{
public:
    struct Step
    {
        int expectedMessages; // the bot's messages this step brings to the user's chat
    };

    Funnel(FakeBotApi& api, int users, int concurrency, qint64 firstUser)
        : m_api(api)
        , m_users(users)
        , m_concurrency(concurrency)
        , m_firstUser(firstUser)
        , m_state(std::size_t(users))
    {
        connect(&m_api, &FakeBotApi::requestHandled, this, &Funnel::onHandled);
    }

    bool run(int timeoutMs)
    {
        m_clock.start();
        m_startNs = m_api.nowNs();
        for (int i = 0; i < std::min(m_users, m_concurrency); ++i)
            startNextUser();
        QEventLoop loop;
        m_loop = &loop;
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        if (m_finished < m_users)
            loop.exec();
        m_loop = nullptr;
        m_elapsedNs = m_clock.nsecsElapsed();
        return m_finished == m_users;
    }

    qint64 updates() const { return m_updates; }
    double seconds() const { return double(m_elapsedNs) / 1e9; }
    // Every update's latency, or one step's.
    std::vector<qint64> latencies(int step = -1) const
    {
        std::vector<qint64> result;
        result.reserve(m_samples.size());
        for (const Sample& s : m_samples) {
            if (step < 0 || s.step == step)
                result.push_back(s.latencyNs);
        }
        return result;
    }
    int finished() const { return m_finished; }

    const std::vector<Sample>& samples() const { return m_samples; }

    // /start, packages, a card, apply from the card, name, phone (thanks + main menu).
    static constexpr int Steps = 6;
    static constexpr const char* StepNames[Steps] = {"/start", "packages", "card", "apply", "name", "phone"};

private:
    struct User
    {
        int step = -1;
        int received = 0;
        int expected = 0;
        qint64 pushedNs = 0;
        bool answered = false;
        qint64 lastMessageId = 0;
    };

    static constexpr int Expected[Steps] = {1, 1, 1, 1, 1, 2};

    void startNextUser()
    {
        if (m_started >= m_users)
            return;
        const int index = m_started++;
        advance(index);
    }

    void advance(int index)
    {
        User& user = m_state[std::size_t(index)];
        const qint64 chat = m_firstUser + index;
        ++user.step;
        if (user.step >= Steps) {
            ++m_finished;
            startNextUser();
            if (m_finished == m_users && m_loop)
                m_loop->quit();
            return;
        }
        user.expected = user.received + Expected[user.step];
        user.answered = false;
        qint64 id = 0;
        switch (user.step) {
        case 0:
            id = m_api.pushCommand(chat, u"/start"_s);
            break;
        case 1:
            id = m_api.pushCallback(chat, user.lastMessageId, u"p"_s);
            break;
        case 2:
            id = m_api.pushCallback(chat, user.lastMessageId, u"p:premium"_s);
            break;
        case 3:
            id = m_api.pushCallback(chat, user.lastMessageId, u"a:premium"_s);
            break;
        case 4:
            id = m_api.pushText(chat, u"Анна"_s);
            break;
        case 5:
            id = m_api.pushText(chat, u"+7916%1"_s.arg(1000000 + index % 9000000));
            break;
        }
        user.pushedNs = m_api.pushedAtNs(id);
        ++m_updates;
    }

    void onHandled(const QString& method, qint64 chat)
    {
        if (method != "sendMessage"_L1 && method != "editMessageText"_L1)
            return;
        const qint64 index = chat - m_firstUser;
        if (index < 0 || index >= m_users)
            return;
        User& user = m_state[std::size_t(index)];
        ++user.received;
        if (!user.answered) {
            user.answered = true;
            const qint64 latency = m_api.nowNs() - user.pushedNs;
            m_samples.push_back({user.pushedNs - m_startNs, latency, user.step});
        }
        if (method == "sendMessage"_L1 && user.step == 0)
            user.lastMessageId = m_api.sent(chat).constLast().messageId;
        if (user.received >= user.expected)
            advance(int(index));
    }

    FakeBotApi& m_api;
    int m_users;
    int m_concurrency;
    qint64 m_firstUser;
    std::vector<User> m_state;
    int m_started = 0;
    int m_finished = 0;
    qint64 m_updates = 0;
    std::vector<Sample> m_samples;
    qint64 m_startNs = 0;
    QElapsedTimer m_clock;
    qint64 m_elapsedNs = 0;
    QEventLoop* m_loop = nullptr;
};

std::unique_ptr<QProcess> startEngine(const ConnectionSettings& db, const FakeBotApi& api, int workers,
                                      bool rateLimit)
{
    auto engine = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"DATABASE_URL"_s, db.toUrl(true));
    env.insert(u"BOT_TOKEN"_s, Token);
    env.insert(u"TELEGRAM_API_URL"_s, api.baseUrl().toString());
    if (workers > 0)
        env.insert(u"ENGINE_WORKERS"_s, QString::number(workers)); // else the engine's default
    env.insert(u"RATE_LIMIT"_s, rateLimit ? u"on"_s : u"off"_s);
    env.insert(u"LOG_LEVEL"_s, u"warning"_s);
    env.insert(u"POLL_TIMEOUT"_s, u"10"_s);
    engine->setProcessEnvironment(env);
    engine->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    engine->start(qEnvironmentVariable("SALESBOT_ENGINE_BIN"), {u"run"_s});
    if (!engine->waitForStarted(10'000))
        return nullptr;
    return engine;
}

void stopEngine(QProcess& engine)
{
    engine.terminate();
    if (!engine.waitForFinished(15'000))
        engine.kill();
}

bool waitUntilPolling(FakeBotApi& api, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!api.isPollHeld() && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return api.isPollHeld();
}

int funnel(const QString& title, int users, int concurrency, int workers, int oneWayDelayUs,
           const QString& latencyLog)
{
    Database db;
    if (!db.create(u"salesbot_bench_%1"_s.arg(oneWayDelayUs > 0 ? u"latency"_s : u"funnel"_s)))
        return 1;
    ConnectionSettings target = db.settings;
    QThread proxyThread;
    std::unique_ptr<bench::DelayProxy> proxy;
    if (oneWayDelayUs > 0) {
        proxy = std::make_unique<bench::DelayProxy>(quint16(db.settings.port), oneWayDelayUs);
        proxy->moveToThread(&proxyThread);
        proxyThread.start();
        // Listening from the proxy's own thread, so its sockets belong to that thread's event loop.
        bool listening = false;
        QMetaObject::invokeMethod(
            proxy.get(), [&] { listening = proxy->listen(); }, Qt::BlockingQueuedConnection);
        if (!listening)
            return 1;
        target.port = proxy->port();
        target.host = u"127.0.0.1"_s;
    }
    FakeBotApi api;
    api.setToken(Token);
    api.setRequestLogEnabled(false);
    api.setSentHistoryEnabled(false);
    if (!api.listen())
        return 1;
    auto engine = startEngine(target, api, workers, false);
    if (!engine || !waitUntilPolling(api, 30'000)) {
        say(u"the engine did not start"_s);
        return 1;
    }
    Funnel run(api, users, concurrency, 1'000'000);
    const double engineCpu0 = cpuSeconds(engine->processId());
    const double postgresCpu0 = postgresCpuSeconds();
    const double benchCpu0 = cpuSeconds(QCoreApplication::applicationPid());
    const bool complete = run.run(600'000);
    const double engineCpu = cpuSeconds(engine->processId()) - engineCpu0;
    const double postgresCpu = postgresCpuSeconds() - postgresCpu0;
    const double benchCpu = cpuSeconds(QCoreApplication::applicationPid()) - benchCpu0;
    const qint64 rss = peakRssKb(engine->processId());
    stopEngine(*engine);
    if (proxy) {
        QMetaObject::invokeMethod(
            proxy.get(), [&proxy] { proxy.reset(); }, Qt::BlockingQueuedConnection);
        proxyThread.quit();
        proxyThread.wait();
    }
    say(u"%1: %2 users (%3 at a time), %4 updates in %5 s%6"_s.arg(title)
            .arg(users)
            .arg(concurrency)
            .arg(run.updates())
            .arg(run.seconds(), 0, 'f', 2)
            .arg(complete ? QString() : u" — INCOMPLETE: %1 users finished"_s.arg(run.finished())));
    std::vector<qint64> latencies = run.latencies();
    say(u"  throughput: %1 updates/s; latency update→reply p50 %2 ms, p99 %3 ms; engine peak RSS %4 MB (%5 workers)"_s
            .arg(double(run.updates()) / run.seconds(), 0, 'f', 0)
            .arg(percentile(latencies, 0.50), 0, 'f', 2)
            .arg(percentile(latencies, 0.99), 0, 'f', 2)
            .arg(double(rss) / 1024.0, 0, 'f', 1)
            .arg(workers > 0 ? QString::number(workers) : u"default"_s));
    QStringList steps;
    for (int step = 0; step < Funnel::Steps; ++step) {
        std::vector<qint64> stepLatencies = run.latencies(step);
        steps << u"%1 %2/%3"_s.arg(QLatin1StringView(Funnel::StepNames[step]))
                     .arg(percentile(stepLatencies, 0.50), 0, 'f', 1)
                     .arg(percentile(stepLatencies, 0.99), 0, 'f', 1);
    }
    say(u"  latency p90 %1 ms, p99.9 %2 ms, max %3 ms; by step (p50/p99 ms): %4"_s
            .arg(percentile(latencies, 0.90), 0, 'f', 2)
            .arg(percentile(latencies, 0.999), 0, 'f', 2)
            .arg(percentile(latencies, 1.0), 0, 'f', 2)
            .arg(steps.join(u", "_s)));
    say(u"  where the p99 tail falls (the seconds holding most of it): %1"_s.arg(
        slowestSeconds(run.samples(), percentile(latencies, 0.99))));
    if (!latencyLog.isEmpty() && !writeLatencyLog(latencyLog, run.samples()))
        say(u"  could not write "_s + latencyLog);
    const double perUpdate = 1e6 / double(std::max<qint64>(1, run.updates()));
    say(u"  CPU per update: engine %1 µs, PostgreSQL %2 µs, emulator and driver %3 µs (2 cores shared by all)"_s
            .arg(engineCpu * perUpdate, 0, 'f', 0)
            .arg(postgresCpu * perUpdate, 0, 'f', 0)
            .arg(benchCpu * perUpdate, 0, 'f', 0));
    // Until its update is committed the engine does not confirm it, so each answer repeats the ones in
    // flight.
    say(u"  getUpdates: %1 answers carrying %2 updates (each update %3 times)"_s.arg(api.getUpdatesCalls())
            .arg(api.updatesDelivered())
            .arg(double(api.updatesDelivered()) * perUpdate / 1e6, 0, 'f', 1));
    return complete ? 0 : 1;
}

int rateLimited(int users, int workers)
{
    Database db;
    if (!db.create(u"salesbot_bench_ratelimit"_s))
        return 1;
    FakeBotApi api;
    api.setToken(Token);
    api.setRequestLogEnabled(false);
    api.setSentHistoryEnabled(false);
    api.setRateLimits(30, 1);
    if (!api.listen())
        return 1;
    auto engine = startEngine(db.settings, api, workers, true);
    if (!engine || !waitUntilPolling(api, 30'000)) {
        say(u"the engine did not start"_s);
        return 1;
    }
    // Everybody at once: a flood of /start.
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < users; ++i)
        api.pushCommand(2'000'000 + i, u"/start"_s);
    while (api.totalSent() < users && clock.elapsed() < 600'000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    const double seconds = double(clock.elapsed()) / 1000.0;
    const qint64 rss = peakRssKb(engine->processId());
    stopEngine(*engine);
    say(u"ratelimit: %1 users send /start at once; Telegram allows 30 messages/s overall and 1/s per chat"_s
            .arg(users));
    say(u"  %1 of %1 replies delivered in %2 s (%3/s); 429s drawn: %4; engine peak RSS %5 MB"_s
            .arg(api.totalSent())
            .arg(seconds, 0, 'f', 1)
            .arg(double(api.totalSent()) / seconds, 0, 'f', 1)
            .arg(api.tooManyRequests())
            .arg(double(rss) / 1024.0, 0, 'f', 1));
    return api.totalSent() >= users ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    // The emulator and the driver share the two cores with the engine and PostgreSQL: Qt's own event
    // dispatcher, as the engine uses, takes about a tenth less of their CPU per update than GLib's.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption scenario(u"scenario"_s, u"funnel, ratelimit, latency or all"_s, u"name"_s,
                                      u"all"_s);
    const QCommandLineOption users(u"users"_s, u"simulated users"_s, u"N"_s, u"10000"_s);
    const QCommandLineOption concurrency(u"concurrency"_s, u"users active at a time"_s, u"C"_s, u"32"_s);
    const QCommandLineOption workers(u"workers"_s, u"engine database workers (0: the engine's default)"_s,
                                     u"W"_s, u"0"_s);
    const QCommandLineOption latencyLog(
        u"latency-log"_s, u"write each update's start, step and latency to this CSV file"_s, u"file"_s);
    parser.addOptions({scenario, users, concurrency, workers, latencyLog});
    parser.process(app);
    if (qEnvironmentVariableIsEmpty("SALESBOT_TEST_PG_URL") ||
        qEnvironmentVariableIsEmpty("SALESBOT_ENGINE_BIN")) {
        say(u"bench_engine needs SALESBOT_TEST_PG_URL and SALESBOT_ENGINE_BIN: run scripts/bench.sh"_s);
        return 2;
    }
    const QString which = parser.value(scenario);
    const int n = parser.value(users).toInt();
    const int c = parser.value(concurrency).toInt();
    const int w = parser.value(workers).toInt();
    int rc = 0;
    if (which == "funnel"_L1 || which == "all"_L1)
        rc |= funnel(u"funnel (PostgreSQL on loopback, rate limiter off)"_s, n, c, w, 0,
                     parser.value(latencyLog));
    if (which == "ratelimit"_L1 || which == "all"_L1)
        rc |= rateLimited(std::min(n, 2000), w);
    if (which == "latency"_L1 || which == "all"_L1)
        rc |= funnel(u"latency (PostgreSQL 2 ms away through a delaying proxy)"_s, std::min(n, 3000),
                     std::max(c, 64), w, 1000, {});
    return rc;
}
