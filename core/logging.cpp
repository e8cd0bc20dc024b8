#include "logging.h"

Q_LOGGING_CATEGORY(lcEngine, "docpipe.engine", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "docpipe.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStages, "docpipe.stages", QtInfoMsg)
Q_LOGGING_CATEGORY(lcNet, "docpipe.net", QtInfoMsg)
