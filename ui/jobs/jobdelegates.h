// Painted cells of the jobs table: the stage as a coloured badge and the active stage's progress
// as a bar. Painting, not widgets, so a row costs nothing until it is on screen.
#pragma once

#include <QStyledItemDelegate>

namespace Docpipe::Ui {

// Paints the cell's background (selection, hover, alternate rows) as the style would, text-less.
class PaintedCellDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void paintBackground(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;
};

class StageBadgeDelegate final : public PaintedCellDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StageBadgeDelegate)

public:
    using PaintedCellDelegate::PaintedCellDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

class ProgressDelegate final : public PaintedCellDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProgressDelegate)

public:
    using PaintedCellDelegate::PaintedCellDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace Docpipe::Ui
