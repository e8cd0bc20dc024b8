#include "i18n.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <memory>

namespace Docpipe::Ui {

namespace {

struct Installed
{
    std::unique_ptr<QTranslator> docpipe;
    std::unique_ptr<QTranslator> qt;
};

Installed &installed()
{
    static Installed translators;
    return translators;
}

std::unique_ptr<QTranslator> load(const QLocale &locale, const QString &name, const QString &folder)
{
    auto translator = std::make_unique<QTranslator>();
    if (!translator->load(locale, name, QStringLiteral("_"), folder))
        return nullptr;
    QCoreApplication::installTranslator(translator.get());
    return translator;
}

} // namespace

QStringList availableLanguages()
{
    return {QStringLiteral("en"), QStringLiteral("de")};
}

QString installTranslations(const QString &languageCode)
{
    Installed &current = installed();
    for (auto *translator : {current.docpipe.get(), current.qt.get()}) {
        if (translator)
            QCoreApplication::removeTranslator(translator);
    }
    current = {};

    const QLocale locale = languageCode.isEmpty() ? QLocale::system() : QLocale(languageCode);
    if (!languageCode.isEmpty())
        QLocale::setDefault(locale);
    current.docpipe = load(locale, QStringLiteral("docpipe"), QStringLiteral(":/i18n"));
    if (!current.docpipe) {
        // No translation for this language: English, whose .qm holds the plural forms.
        current.docpipe = load(QLocale(QLocale::English), QStringLiteral("docpipe"), QStringLiteral(":/i18n"));
        return QStringLiteral("en");
    }
    current.qt = load(locale, QStringLiteral("qtbase"), QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    return locale.name().section(u'_', 0, 0);
}

} // namespace Docpipe::Ui
