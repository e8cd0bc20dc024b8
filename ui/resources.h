// Makes the icons compiled into this static library available (Q_INIT_RESOURCE); idempotent.
#pragma once

namespace Docpipe::Ui {

void initResources();

} // namespace Docpipe::Ui
