// A grouped bar chart over fixed categories (one bar per set in each category), with the values
// printed once over each group ("p50 / p95"): Qt Charts centres a label on each bar, and two
// close bars narrower than their numbers printed them over each other. Bars are made once and
// their values replaced on update.
#pragma once

#include <QColor>
#include <QList>
#include <QStringList>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QBarCategoryAxis;
class QBarSeries;
class QBarSet;
class QGraphicsSimpleTextItem;
class QChartView;
class QValueAxis;
QT_END_NAMESPACE

namespace Docpipe::Ui {

class BarChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BarChart)

public:
    BarChart(const QString &title, const QStringList &categories, const QString &valueTitle, QWidget *parent = nullptr);

    // Returns the set's index for setValues().
    int addSet(const QString &name, const QColor &color);
    // One value per category; only changed bars are touched.
    void setValues(int set, const QList<qreal> &values);
    void setValueTitle(const QString &title);

    QList<qreal> values(int set) const;
    double valueAxisTop() const;
    // The value labels as shown (hidden ones empty) and where, in scene coordinates.
    QStringList valueLabels() const;
    QList<QRectF> valueLabelRects() const;

private:
    void fitValues();
    void placeValueLabels();

    QChartView *m_view;
    QBarSeries *m_series;
    QBarCategoryAxis *m_categoryAxis;
    QValueAxis *m_valueAxis;
    QList<QBarSet *> m_sets;
    QList<QGraphicsSimpleTextItem *> m_valueLabels; // one per category
    int m_categories;
};

} // namespace Docpipe::Ui
