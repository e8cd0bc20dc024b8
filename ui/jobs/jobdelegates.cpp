#include "jobdelegates.h"

#include "jobformat.h"
#include "jobtablemodel.h"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionProgressBar>

namespace Docpipe::Ui {

namespace {

constexpr int kBadgeHPadding = 8;
constexpr int kBadgeVMargin = 3;

} // namespace

void PaintedCellDelegate::paintBackground(QPainter *painter, const QStyleOptionViewItem &option,
                                          const QModelIndex &index) const
{
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, widget);
}

void StageBadgeDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    paintBackground(painter, option, index);
    const QString text = index.data(Qt::DisplayRole).toString();
    if (text.isEmpty())
        return;
    const auto stage = Stage(index.data(JobTableModel::StageRole).toInt());
    const auto status = JobStatus(index.data(JobTableModel::StatusRole).toInt());
    painter->save();
    QFont font = option.font;
    font.setBold(true);
    painter->setFont(font);
    const QFontMetrics metrics = painter->fontMetrics(); // of the device painted on
    const int width = std::min(metrics.horizontalAdvance(text) + 2 * kBadgeHPadding, option.rect.width() - 8);
    const QRect badge(option.rect.left() + 4, option.rect.top() + kBadgeVMargin, width,
                      option.rect.height() - 2 * kBadgeVMargin);
    painter->setRenderHint(QPainter::Antialiasing);
    QColor fill = badgeColor(stage, status);
    if (status == JobStatus::Queued && stage != Stage::Embedded)
        fill = fill.lighter(115);
    painter->setPen(Qt::NoPen);
    painter->setBrush(fill);
    const qreal radius = badge.height() / 2.0;
    painter->drawRoundedRect(badge, radius, radius);
    painter->setPen(Qt::white);
    painter->drawText(badge, Qt::AlignCenter,
                      metrics.elidedText(text, Qt::ElideRight, badge.width() - 2 * kBadgeHPadding + 2));
    painter->restore();
}

QSize StageBadgeDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.rwidth() += 2 * kBadgeHPadding + 8;
    return size;
}

void ProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    paintBackground(painter, option, index);
    const QVariant progress = index.data(JobTableModel::ProgressRole);
    if (!progress.isValid())
        return;
    const double fraction = progress.toDouble();
    QStyleOptionProgressBar bar;
    bar.initFrom(option.widget);
    bar.rect = option.rect.adjusted(4, 3, -4, -3);
    bar.minimum = 0;
    bar.maximum = 1000;
    bar.progress = fraction < 0 ? 0 : qRound(fraction * 1000);
    bar.text = index.data(Qt::DisplayRole).toString();
    bar.textVisible = true;
    bar.textAlignment = Qt::AlignCenter;
    bar.state |= QStyle::State_Horizontal;
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
}

} // namespace Docpipe::Ui
