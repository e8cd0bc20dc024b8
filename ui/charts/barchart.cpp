#include "barchart.h"

#include "chartstyle.h"

#include <QGraphicsSimpleTextItem>
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
    for (int i = 0; i < m_categories; ++i) {
        auto *label = new QGraphicsSimpleTextItem(m_view->chart());
        label->setFont(labels);
        label->setBrush(palette().color(QPalette::WindowText));
        label->setZValue(10);
        m_valueLabels.append(label);
    }
    connect(m_view->chart(), &QChart::plotAreaChanged, this, &BarChart::placeValueLabels);
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
    placeValueLabels();
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
    fitValueAxis(m_valueAxis, max * 1.25, 1);
}

void BarChart::placeValueLabels()
{
    QChart *chart = m_view->chart(); // mapToPosition() is not const in Qt 6.4
    const double slot = chart->plotArea().width() / std::max(1, m_categories);
    for (int i = 0; i < m_categories; ++i) {
        QGraphicsSimpleTextItem *label = m_valueLabels.at(i);
        QStringList texts;
        double top = 0;
        for (const QBarSet *set : std::as_const(m_sets)) {
            texts << QString::number(set->at(i), 'g', 4);
            top = std::max(top, set->at(i));
        }
        // On one line when the group's slot is wide enough, else one value a line; hidden when
        // even that does not fit (the stage cards print the same numbers).
        label->setText(texts.join(QStringLiteral(" / ")));
        if (label->boundingRect().width() > slot - 4)
            label->setText(texts.join(u'\n'));
        const QRectF box = label->boundingRect();
        const QPointF anchor = chart->mapToPosition(QPointF(i, top), m_series);
        label->setPos(anchor.x() - box.width() / 2, anchor.y() - box.height() - 2);
        label->setVisible(top > 0 && box.width() <= slot - 4);
    }
}

QStringList BarChart::valueLabels() const
{
    QStringList texts;
    for (const QGraphicsSimpleTextItem *label : m_valueLabels)
        texts << (label->isVisible() ? label->text() : QString());
    return texts;
}

QList<QRectF> BarChart::valueLabelRects() const
{
    QList<QRectF> rects;
    for (const QGraphicsSimpleTextItem *label : m_valueLabels)
        rects << (label->isVisible() ? label->sceneBoundingRect() : QRectF());
    return rects;
}

} // namespace Docpipe::Ui
