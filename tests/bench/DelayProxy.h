#pragma once

// A TCP proxy on loopback that holds every chunk for a fixed time in each direction: PostgreSQL "2 ms away",
// as a cloud database in the same region is, for the latency benchmark.

#include <QElapsedTimer>
#include <QObject>
#include <QTcpServer>

namespace salesbot::bench {

class DelayProxy final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DelayProxy)

public:
    // Adds `oneWayUs` microseconds each way (so the round trip grows by twice that).
    DelayProxy(quint16 upstreamPort, int oneWayUs, QObject* parent = nullptr);
    bool listen();
    quint16 port() const { return m_server.serverPort(); }

private:
    void onConnection();

    QTcpServer m_server;
    quint16 m_upstreamPort;
    int m_oneWayUs;
    QElapsedTimer m_clock;
};

} // namespace salesbot::bench
