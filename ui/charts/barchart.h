// A grouped bar chart over fixed categories (one bar per set in each category), with the
// value printed on each bar. Bars are made once and their values replaced on update.
#pragma once

#include <QColor>
#include <QList>
#include <QStringList>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QBarCategoryAxis;
class QBarSeries;
class QBarSet;
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

private:
    void fitValues();

    QChartView *m_view;
    QBarSeries *m_series;
    QBarCategoryAxis *m_categoryAxis;
    QValueAxis *m_valueAxis;
    QList<QBarSet *> m_sets;
    int m_categories;
};

} // namespace Docpipe::Ui
