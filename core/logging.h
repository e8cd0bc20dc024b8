// One logging category per subsystem; enable with QT_LOGGING_RULES="docpipe.*=true".
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcEngine)
Q_DECLARE_LOGGING_CATEGORY(lcStore)
Q_DECLARE_LOGGING_CATEGORY(lcStages)
Q_DECLARE_LOGGING_CATEGORY(lcNet)
