// The small parts of the HTTP service: listen addresses, upload names, tokens, exposition text.
#include "apitokens.h"
#include "listenaddress.h"
#include "promtext.h"
#include "uploadname.h"

#include <QTest>

using namespace Docpipe::Server;
using namespace Qt::Literals::StringLiterals;

class TestServerParts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listenAddresses()
    {
        QString error;
        auto port = parseListenAddress(u"9464"_s, &error);
        QVERIFY(port);
        QCOMPARE(port->host, QHostAddress(QHostAddress::LocalHost)); // no host: loopback
        QCOMPARE(port->port, quint16(9464));
        auto any = parseListenAddress(u"0.0.0.0:80"_s, &error);
        QVERIFY(any && !any->isLoopback());
        auto v6 = parseListenAddress(u"[::1]:9000"_s, &error);
        QVERIFY(v6 && v6->isLoopback());
        QCOMPARE(v6->toString(), u"[::1]:9000"_s);
        QVERIFY(!parseListenAddress(u"host:99999"_s, &error));
        QVERIFY(!parseListenAddress(u"abc"_s, &error));
        QVERIFY(error.contains(u"[HOST:]PORT"_s));
        QVERIFY(!parseListenAddress(u"no-such-host.invalid:80"_s, &error));
    }

    void uploadNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("plain") << u"report 2026.pdf"_s << true;
        QTest::newRow("unicode") << u"Übersicht–März.docx"_s << true;
        QTest::newRow("hidden") << u".notes.md"_s << true;
        QTest::newRow("parent") << u"../x.pdf"_s << false;
        QTest::newRow("absolute") << u"/etc/passwd"_s << false;
        QTest::newRow("backslash") << u"..\\x.pdf"_s << false;
        QTest::newRow("dotdot") << u".."_s << false;
        QTest::newRow("dot") << u"."_s << false;
        QTest::newRow("nul") << (u"a"_s + QChar(0) + u".pdf"_s) << false;
        QTest::newRow("newline") << u"a\nb.pdf"_s << false;
        QTest::newRow("device") << u"NUL"_s << false;
        QTest::newRow("device-ext") << u"com1.txt"_s << false;
        QTest::newRow("lpt") << u"Lpt9"_s << false;
        QTest::newRow("drive") << u"C:x.pdf"_s << false;
        QTest::newRow("trailing-dot") << u"x.pdf."_s << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("long") << QString(256, u'a') << false;
    }
    void uploadNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, accepted);
        QCOMPARE(uploadNameProblem(name).isEmpty(), accepted);
    }

    void tokens()
    {
        const ApiTokens tokens = ApiTokens::parse(u"ci:abc123, ops:xyz789"_s);
        QCOMPARE(tokens.labelFor("Bearer abc123"), std::optional<QString>(u"ci"_s));
        QCOMPARE(tokens.labelFor("bearer xyz789"), std::optional<QString>(u"ops"_s));
        QVERIFY(!tokens.labelFor("Bearer abc124"));
        QVERIFY(!tokens.labelFor("Basic abc123"));
        QVERIFY(!tokens.labelFor(""));
        const ApiTokens unlabelled = ApiTokens::parse(u"plain-secret"_s);
        QCOMPARE(unlabelled.labelFor("Bearer plain-secret"), std::optional<QString>(u"token1"_s));
        QVERIFY(ApiTokens::parse(QString()).isEmpty());
    }

    void exposition()
    {
        PromText text;
        text.family("docpipe_x_total", "counter", "An example.");
        text.sample("docpipe_x_total", {{u"path"_s, u"a\"b\\c\nd"_s}}, 3);
        text.sample("docpipe_x_total", {{u"path"_s, u"e"_s}}, 0.25);
        QCOMPARE(text.text(),
                 QByteArray("# HELP docpipe_x_total An example.\n# TYPE docpipe_x_total counter\n"
                            "docpipe_x_total{path=\"a\\\"b\\\\c\\nd\"} 3\ndocpipe_x_total{path=\"e\"} 0.25\n"));
        QCOMPARE(PromText::formatValue(qInf()), QByteArray("+Inf"));
        QCOMPARE(PromText::formatValue(1e20), QByteArray("1e+20"));
    }
};

QTEST_GUILESS_MAIN(TestServerParts)
#include "tst_serverparts.moc"
