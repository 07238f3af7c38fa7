#include "DelayProxy.h"

#include <QHostAddress>
#include <QTcpSocket>
#include <QTimer>

#include <deque>
#include <memory>

namespace salesbot::bench {

namespace {

// One direction of one connection: chunks wait until their time, then go out in order.
class Pipe final : public QObject
{
public:
    Pipe(QTcpSocket* from, QTcpSocket* to, int delayUs, const QElapsedTimer& clock)
        : QObject(from)
        , m_from(from)
        , m_to(to)
        , m_delayNs(qint64(delayUs) * 1000)
        , m_clock(clock)
    {
        m_timer.setSingleShot(true);
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, &Pipe::flush);
        connect(m_from, &QTcpSocket::readyRead, this, &Pipe::read);
    }

private:
    void read()
    {
        const QByteArray data = m_from->readAll();
        if (data.isEmpty())
            return;
        m_queue.push_back({m_clock.nsecsElapsed() + m_delayNs, data});
        if (!m_timer.isActive())
            arm();
    }
    void arm()
    {
        if (m_queue.empty())
            return;
        const qint64 waitNs = m_queue.front().dueNs - m_clock.nsecsElapsed();
        m_timer.start(int(std::max<qint64>(0, (waitNs + 999'999) / 1'000'000)));
    }
    void flush()
    {
        // Millisecond timers: a chunk may go up to 0.2 ms early rather than a whole tick late. No spinning,
        // so one thread carries every connection.
        const qint64 now = m_clock.nsecsElapsed();
        while (!m_queue.empty() && m_queue.front().dueNs - now < 200'000) {
            m_to->write(m_queue.front().data);
            m_queue.pop_front();
        }
        arm();
    }

    struct Chunk
    {
        qint64 dueNs;
        QByteArray data;
    };
    QTcpSocket* m_from;
    QTcpSocket* m_to;
    qint64 m_delayNs;
    const QElapsedTimer& m_clock;
    std::deque<Chunk> m_queue;
    QTimer m_timer;
};

} // namespace

DelayProxy::DelayProxy(quint16 upstreamPort, int oneWayUs, QObject* parent)
    : QObject(parent)
    , m_server(this) // a child, so moveToThread takes it along
    , m_upstreamPort(upstreamPort)
    , m_oneWayUs(oneWayUs)
{
    m_clock.start();
    connect(&m_server, &QTcpServer::newConnection, this, &DelayProxy::onConnection);
}

bool DelayProxy::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

void DelayProxy::onConnection()
{
    while (QTcpSocket* client = m_server.nextPendingConnection()) {
        auto* upstream = new QTcpSocket(client);
        client->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        // No Nagle on either leg, or small queries wait for delayed ACKs (40 ms) instead of 2 ms.
        connect(upstream, &QTcpSocket::connected, upstream,
                [upstream] { upstream->setSocketOption(QAbstractSocket::LowDelayOption, 1); });
        new Pipe(client, upstream, m_oneWayUs, m_clock);
        new Pipe(upstream, client, m_oneWayUs, m_clock);
        connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        connect(upstream, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
        connect(client, &QTcpSocket::disconnected, upstream, [upstream] { upstream->disconnectFromHost(); });
        upstream->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
    }
}

} // namespace salesbot::bench
