#include "resources.h"

#include <QtGlobal>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initDocpipeResources()
{
    Q_INIT_RESOURCE(docpipe);
}

namespace Docpipe::Ui {

void initResources()
{
    static const bool done = [] {
        initDocpipeResources();
        return true;
    }();
    Q_UNUSED(done);
}

} // namespace Docpipe::Ui
