// The window opened on a database that already holds many jobs: how long until its first rows
// and until its table holds them all, and the longest GUI stall meanwhile. For bench_window and
// bench_load.
#pragma once

#include "mainwindow.h"

#include <memory>

namespace Docpipe::Test {

struct WindowLoad
{
    std::unique_ptr<Ui::MainWindow> window;
    qint64 firstRowsMs = -1; // from constructing the window to its first rows
    qint64 allRowsMs = -1; // to the table holding `rows` rows and the live feed tailing; -1: timed out
    double longestStallMs = 0; // of the GUI event loop, over the same time
};

// Constructs, shows and starts the window, and waits up to `timeoutMs` for `rows` rows.
WindowLoad openLoadedWindow(const Ui::WindowContext &context, int rows, int timeoutMs);

} // namespace Docpipe::Test
