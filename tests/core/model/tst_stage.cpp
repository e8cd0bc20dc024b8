#include "model/stage.h"

#include <QTest>

using namespace Docpipe;

class tst_Stage final : public QObject
{
    Q_OBJECT
private slots:
    void namesRoundTrip();
    void checkpointsAndActiveStagesAlternate_data();
    void checkpointsAndActiveStagesAlternate();
};

void tst_Stage::namesRoundTrip()
{
    for (const Stage stage : allStages())
        QCOMPARE(stageFromName(stageName(stage)), stage);
    QVERIFY(!stageFromName(u"nonsense").has_value());
    QCOMPARE(stageName(Stage::ParseValidated), QStringLiteral("parse_validated"));
}

void tst_Stage::checkpointsAndActiveStagesAlternate_data()
{
    QTest::addColumn<Stage>("checkpoint");
    QTest::addColumn<Stage>("active");
    QTest::addColumn<Stage>("next");
    QTest::newRow("parse") << Stage::Uploaded << Stage::Parsing << Stage::ParseValidated;
    QTest::newRow("chunk") << Stage::ParseValidated << Stage::Chunking << Stage::ChunksBuffered;
    QTest::newRow("embed") << Stage::ChunksBuffered << Stage::Embedding << Stage::Embedded;
}

void tst_Stage::checkpointsAndActiveStagesAlternate()
{
    QFETCH(Stage, checkpoint);
    QFETCH(Stage, active);
    QFETCH(Stage, next);
    QVERIFY(isCheckpoint(checkpoint));
    QVERIFY(isActive(active));
    QCOMPARE(activeStageAfter(checkpoint), active);
    QCOMPARE(checkpointAfter(active), next);
    QCOMPARE(checkpointBefore(active), checkpoint);
    QVERIFY(!activeStageAfter(Stage::Embedded).has_value());
}

QTEST_GUILESS_MAIN(tst_Stage)
#include "tst_stage.moc"
