#include "barchart.h"

#include "chartstyle.h"

#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QVBoxLayout>

#include <algorithm>

namespace Docpipe::Ui {

BarChart::BarChart(const QString &title, const QStringList &categories, const QString &valueTitle, QWidget *parent)
    : QWidget(parent)
    , m_view(makeChartView(title, this))
    , m_series(new QBarSeries)
    , m_categoryAxis(new QBarCategoryAxis)
    , m_valueAxis(makeValueAxis(valueTitle))
    , m_categories(int(categories.size()))
{
    m_categoryAxis->append(categories);
    QFont labels = m_categoryAxis->labelsFont();
    labels.setPointSizeF(labels.pointSizeF() * 0.85);
    m_categoryAxis->setLabelsFont(labels);
    m_view->chart()->addSeries(m_series);
    // Labels are set up once the series has a chart to draw them in.
    m_series->setLabelsVisible(true);
    m_series->setLabelsPosition(QBarSeries::LabelsOutsideEnd);
    m_series->setLabelsFormat(QStringLiteral("@value"));
    m_series->setLabelsPrecision(4);
    m_view->chart()->addAxis(m_categoryAxis, Qt::AlignBottom);
    m_view->chart()->addAxis(m_valueAxis, Qt::AlignLeft);
    m_series->attachAxis(m_categoryAxis);
    m_series->attachAxis(m_valueAxis);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
}

int BarChart::addSet(const QString &name, const QColor &color)
{
    auto *set = new QBarSet(name);
    set->setColor(color);
    set->setBorderColor(color);
    set->setLabelColor(palette().color(QPalette::WindowText));
    for (int i = 0; i < m_categories; ++i)
        set->append(0);
    m_series->append(set);
    m_sets.append(set);
    return int(m_sets.size() - 1);
}

void BarChart::setValues(int set, const QList<qreal> &values)
{
    if (set < 0 || set >= m_sets.size())
        return;
    QBarSet *bars = m_sets.at(set);
    for (int i = 0; i < m_categories; ++i) {
        const qreal value = i < values.size() ? values.at(i) : 0;
        if (bars->at(i) != value)
            bars->replace(i, value);
    }
    fitValues();
}

void BarChart::setValueTitle(const QString &title)
{
    m_valueAxis->setTitleText(title);
}

QList<qreal> BarChart::values(int set) const
{
    QList<qreal> values;
    if (set < 0 || set >= m_sets.size())
        return values;
    for (int i = 0; i < m_categories; ++i)
        values.append(m_sets.at(set)->at(i));
    return values;
}

double BarChart::valueAxisTop() const
{
    return m_valueAxis->max();
}

void BarChart::fitValues()
{
    double max = 0;
    for (const QBarSet *set : std::as_const(m_sets)) {
        for (int i = 0; i < m_categories; ++i)
            max = std::max(max, set->at(i));
    }
    // Head room above the tallest bar for its label.
    fitValueAxis(m_valueAxis, max * 1.15, 1);
}

} // namespace Docpipe::Ui
