// One page of the settings dialog: loads its fields from a Config, writes them back, and shows
// each problem (keyed by INI key, as Config::problems() gives them) beside its field.
#pragma once

#include "config/config.h"

#include <QHash>
#include <QList>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QAbstractSpinBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QSpinBox;
QT_END_NAMESPACE

namespace Docpipe::Ui {

class SettingsPage : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsPage)

public:
    explicit SettingsPage(QWidget *parent = nullptr)
        : QWidget(parent)
    { }

    virtual void load(const Config &config) = 0;
    virtual void apply(Config &config) const = 0;
    // Problems only the form can see: text a field cannot take, fields that contradict each other.
    virtual QList<ConfigProblem> formProblems() const;

    // Shows the problems whose key has a field here; returns how many it showed.
    int showProblems(const QList<ConfigProblem> &problems);
    // The message shown beside the field for `key` (empty when fine).
    QString problemMessage(const QString &key) const;
    bool hasField(const QString &key) const { return m_problemLabels.contains(fieldFor(key)); }

Q_SIGNALS:
    void changed();

protected:
    void showEvent(QShowEvent *event) override;
    // The field a problem's key is shown beside (a page may show one key in different places).
    virtual QString fieldFor(const QString &key) const { return key; }
    // Adds "label: field" with a line for the field's problem under it.
    void addField(QFormLayout *form, const QString &label, QWidget *field, const QString &key);
    // Spin boxes whose typed text is checked against their range (key for the message).
    QSpinBox *makeSpinBox(int minimum, int maximum, const QString &key, const QString &suffix = {});
    QDoubleSpinBox *makeSecondsBox(double maximum, const QString &key);
    // Emits changed() when any of these widgets' values change.
    void watch(const QList<QWidget *> &widgets);

private:
    void trackSpinBox(QAbstractSpinBox *box, const QString &key);

    QHash<QString, QLabel *> m_problemLabels;
    QList<std::pair<QAbstractSpinBox *, QString>> m_spinBoxes;
    bool m_labelsAligned = false;
};

} // namespace Docpipe::Ui
