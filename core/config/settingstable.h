// Every INI setting written once: its key, where it lives in Config, its valid range or choices,
// and the words that name it in a problem. Config::load(), Config::save() and
// Config::problems() all read this one table (qBittorrent's SettingValue idea), so adding a
// setting is adding one row. API keys are not here: they never touch the INI file.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <limits>
#include <variant>

namespace Docpipe {

struct Config;

struct Setting
{
    using IntField = int &(*)(Config &);
    using Int64Field = qint64 &(*)(Config &);
    using StringField = QString &(*)(Config &);
    using BoolField = bool &(*)(Config &);
    using Field = std::variant<IntField, Int64Field, StringField, BoolField>;

    const char *key; // "engine/lease_seconds"
    Field field;
    // What the value is called in a problem (translated in context "Docpipe::Config"); the unit
    // follows the numbers ("tokens", "ms"; empty for counts).
    const char *label;
    const char *unit = "";
    qint64 minimum = std::numeric_limits<qint64>::min();
    qint64 maximum = std::numeric_limits<qint64>::max();
    QStringList choices = {}; // for strings: the accepted values (empty: any text)
    // Checked only when this returns true (e.g. the OpenAI limits while the embedder is local
    // are not the operator's concern). Null: always.
    bool (*applies)(const Config &) = nullptr;
    // "http" for a string that must be an http(s) URL when it applies; "listen" for [HOST:]PORT; "version" for 'latest'
    // or a date (yyyy-mm-dd), as LlamaParse v2 names its parser versions; "languages" for Tesseract language codes
    // joined by '+'.
    const char *format = "";

    QVariant value(const Config &config) const;
    // Sets from an INI value; false (and nothing changed) when the text is not of the type.
    bool assign(Config &config, const QVariant &value) const;
    // The problem with the current value, or an empty string.
    QString problem(const Config &config) const;
};

const QList<Setting> &settingsTable();
const Setting *findSetting(const QString &key);

} // namespace Docpipe
