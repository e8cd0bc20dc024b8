// Choosing and installing the translation: Docpipe's own (:/i18n/docpipe_<lang>.qm, built from
// translations/) and Qt's (qtbase_<lang>.qm), for the system locale or the `ui/language` override.
#pragma once

#include <QString>
#include <QStringList>

namespace Docpipe::Ui {

// Languages Docpipe speaks: "en" (the source) and those with a translation.
QStringList availableLanguages();

// Installs the translators for `languageCode` ("" = the system locale), replacing any installed
// before, and returns the language now in use ("en" when nothing matches).
QString installTranslations(const QString &languageCode);

} // namespace Docpipe::Ui
