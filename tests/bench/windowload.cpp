#include "windowload.h"

#include "jobs/jobsview.h"
#include "livefeed.h"
#include "stallprobe.h"

#include <QAbstractItemModel>
#include <QElapsedTimer>
#include <QTest>

namespace Docpipe::Test {

WindowLoad openLoadedWindow(const Ui::WindowContext &context, int rows, int timeoutMs)
{
    WindowLoad load;
    StallProbe probe;
    probe.start();
    QElapsedTimer timer;
    timer.start();
    load.window = std::make_unique<Ui::MainWindow>(context);
    Ui::MainWindow &window = *load.window;
    QObject::connect(window.liveFeed(), &Ui::LiveFeed::jobsChanged, &window, [&load, &timer] {
        if (load.firstRowsMs < 0)
            load.firstRowsMs = timer.elapsed();
    });
    window.show();
    window.start();
    if (QTest::qWaitFor([&] { return window.liveFeed()->isLoaded() && window.jobsView()->model()->rowCount() >= rows; },
                        timeoutMs))
        load.allRowsMs = timer.elapsed();
    probe.stop();
    load.longestStallMs = probe.longestStallMs();
    QObject::disconnect(window.liveFeed(), &Ui::LiveFeed::jobsChanged, &window, nullptr);
    return load;
}

} // namespace Docpipe::Test
