#include "uisettings.h"

namespace Docpipe::Ui {

UiSettings::UiSettings(const QString &iniPath)
    : m_iniPath(iniPath)
{ }

} // namespace Docpipe::Ui
