#include "settingspage.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace Docpipe::Ui {

// The page's forms (one per group box) share one label width, so their fields line up.
void SettingsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_labelsAligned)
        return;
    m_labelsAligned = true;
    QList<QWidget *> labels;
    for (const QFormLayout *form : findChildren<QFormLayout *>()) {
        for (int row = 0; row < form->rowCount(); ++row) {
            if (const QLayoutItem *item = form->itemAt(row, QFormLayout::LabelRole); item && item->widget())
                labels << item->widget();
        }
    }
    int width = 0;
    for (const QWidget *label : std::as_const(labels))
        width = qMax(width, label->sizeHint().width());
    for (QWidget *label : std::as_const(labels))
        label->setMinimumWidth(width);
}

QList<ConfigProblem> SettingsPage::formProblems() const
{
    QList<ConfigProblem> problems;
    for (const auto &[box, key] : m_spinBoxes) {
        if (box->isEnabled() && !box->hasAcceptableInput())
            problems.append({key,
                             tr("Enter a number from %1 to %2.")
                                 .arg(box->property("minimum").toString(), box->property("maximum").toString())});
    }
    return problems;
}

int SettingsPage::showProblems(const QList<ConfigProblem> &problems)
{
    QHash<QString, QStringList> messages;
    for (const ConfigProblem &problem : problems) {
        const QString field = fieldFor(problem.key);
        if (m_problemLabels.contains(field)) {
            QString message = problem.message; // Config's messages are lower-case clauses
            if (!message.isEmpty())
                message[0] = message.at(0).toUpper();
            messages[field] << message;
        }
    }
    for (auto it = m_problemLabels.cbegin(); it != m_problemLabels.cend(); ++it) {
        const QString text = messages.value(it.key()).join(u'\n');
        it.value()->setText(text);
        it.value()->setVisible(!text.isEmpty());
    }
    return int(messages.size());
}

QString SettingsPage::problemMessage(const QString &key) const
{
    const QLabel *label = m_problemLabels.value(fieldFor(key));
    return label ? label->text() : QString();
}

void SettingsPage::addField(QFormLayout *form, const QString &label, QWidget *field, const QString &key)
{
    auto *box = new QWidget(this);
    auto *column = new QVBoxLayout(box);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(2);
    column->addWidget(field);
    auto *problem = new QLabel(box);
    problem->setObjectName(QStringLiteral("problem:") + key);
    problem->setWordWrap(true);
    problem->setStyleSheet(QStringLiteral("color: #b91c1c;"));
    problem->hide();
    column->addWidget(problem);
    m_problemLabels.insert(key, problem);
    field->setObjectName(key);
    form->addRow(label, box);
}

QSpinBox *SettingsPage::makeSpinBox(int minimum, int maximum, const QString &key, const QString &suffix)
{
    auto *box = new QSpinBox(this);
    box->setRange(minimum, maximum);
    box->setSuffix(suffix);
    box->setGroupSeparatorShown(true);
    trackSpinBox(box, key);
    return box;
}

QDoubleSpinBox *SettingsPage::makeSecondsBox(double maximum, const QString &key)
{
    auto *box = new QDoubleSpinBox(this);
    box->setRange(0, maximum);
    box->setDecimals(2);
    box->setSuffix(tr(" s"));
    box->setGroupSeparatorShown(true);
    trackSpinBox(box, key);
    return box;
}

void SettingsPage::trackSpinBox(QAbstractSpinBox *box, const QString &key)
{
    m_spinBoxes.append({box, key});
    watch({box});
    // Text a box cannot take leaves its value alone: recheck on every keystroke all the same.
    if (auto *edit = box->findChild<QLineEdit *>())
        connect(edit, &QLineEdit::textEdited, this, &SettingsPage::changed);
}

void SettingsPage::watch(const QList<QWidget *> &widgets)
{
    for (QWidget *widget : widgets) {
        if (auto *line = qobject_cast<QLineEdit *>(widget))
            connect(line, &QLineEdit::textChanged, this, &SettingsPage::changed);
        else if (auto *combo = qobject_cast<QComboBox *>(widget))
            connect(combo, &QComboBox::currentIndexChanged, this, &SettingsPage::changed);
        else if (auto *spin = qobject_cast<QSpinBox *>(widget))
            connect(spin, &QSpinBox::valueChanged, this, &SettingsPage::changed);
        else if (auto *seconds = qobject_cast<QDoubleSpinBox *>(widget))
            connect(seconds, &QDoubleSpinBox::valueChanged, this, &SettingsPage::changed);
        else if (auto *button = qobject_cast<QAbstractButton *>(widget)) // radio buttons, check boxes
            connect(button, &QAbstractButton::toggled, this, &SettingsPage::changed);
    }
}

} // namespace Docpipe::Ui
