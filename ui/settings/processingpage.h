// Settings page: chunk size and overlap, how many jobs each stage runs at once and the memory
// budget they share, whether links out of dropped and watched folders are followed, the retry
// policy for transient errors, and OCR of pages without text.
#pragma once

#include "settingspage.h"

QT_BEGIN_NAMESPACE
class QCheckBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;
QT_END_NAMESPACE

namespace Docpipe::Ui {

class ProcessingPage final : public SettingsPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProcessingPage)

public:
    explicit ProcessingPage(QWidget *parent = nullptr);

    void load(const Config &config) override;
    void apply(Config &config) const override;
    QList<ConfigProblem> formProblems() const override;

private:
    QSpinBox *m_chunkTokens;
    QSpinBox *m_overlapTokens;
    QSpinBox *m_parseConcurrency;
    QSpinBox *m_chunkConcurrency;
    QSpinBox *m_embedConcurrency;
    QSpinBox *m_memoryBudget;
    QCheckBox *m_followSymlinks;
    QSpinBox *m_maxAttempts;
    QDoubleSpinBox *m_baseDelay;
    QDoubleSpinBox *m_maxDelay;
    QCheckBox *m_ocrEnabled;
    QLineEdit *m_ocrLanguages;
    QSpinBox *m_ocrDpi;
    QSpinBox *m_ocrMinConfidence;
};

} // namespace Docpipe::Ui
