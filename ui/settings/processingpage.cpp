#include "processingpage.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace Docpipe::Ui {

namespace {

QFormLayout *addGroup(QVBoxLayout *layout, const QString &title, QWidget *parent)
{
    auto *group = new QGroupBox(title, parent);
    auto *form = new QFormLayout(group);
    layout->addWidget(group);
    return form;
}

} // namespace

// Ranges are wider than what is valid, so an out-of-range value gets Config's reason beside
// the field rather than being silently clamped.
ProcessingPage::ProcessingPage(QWidget *parent)
    : SettingsPage(parent)
    , m_chunkTokens(makeSpinBox(0, 1000000, QStringLiteral("chunking/chunk_tokens"), tr(" tokens")))
    , m_overlapTokens(makeSpinBox(0, 1000000, QStringLiteral("chunking/overlap_tokens"), tr(" tokens")))
    , m_parseConcurrency(makeSpinBox(0, 100000, QStringLiteral("engine/parse_concurrency")))
    , m_chunkConcurrency(makeSpinBox(0, 100000, QStringLiteral("engine/chunk_concurrency")))
    , m_embedConcurrency(makeSpinBox(0, 100000, QStringLiteral("engine/embed_concurrency")))
    , m_memoryBudget(makeSpinBox(0, 10000000, QStringLiteral("engine/memory_budget_mb"), tr(" MB")))
    , m_followSymlinks(new QCheckBox(tr("Follow symbolic links that lead out of the folder"), this))
    , m_maxAttempts(makeSpinBox(0, 100000, QStringLiteral("retry/max_attempts")))
    , m_baseDelay(makeSecondsBox(86400, QStringLiteral("retry/base_delay_ms")))
    , m_maxDelay(makeSecondsBox(7 * 86400, QStringLiteral("retry/max_delay_ms")))
    , m_ocrEnabled(new QCheckBox(tr("Read pages without text (scans, images) by OCR"), this))
    , m_ocrLanguages(new QLineEdit(this))
    , m_ocrDpi(makeSpinBox(0, 100000, QStringLiteral("ocr/dpi"), tr(" dpi")))
    , m_ocrMinConfidence(makeSpinBox(0, 100000, QStringLiteral("ocr/min_confidence"), tr(" %")))
{
    auto *layout = new QVBoxLayout(this);
    QFormLayout *chunking = addGroup(layout, tr("Chunking"), this);
    addField(chunking, tr("Chunk size:"), m_chunkTokens, QStringLiteral("chunking/chunk_tokens"));
    addField(chunking, tr("Overlap:"), m_overlapTokens, QStringLiteral("chunking/overlap_tokens"));

    QFormLayout *concurrency = addGroup(layout, tr("Jobs at once, per stage"), this);
    addField(concurrency, tr("Parsing:"), m_parseConcurrency, QStringLiteral("engine/parse_concurrency"));
    addField(concurrency, tr("Chunking:"), m_chunkConcurrency, QStringLiteral("engine/chunk_concurrency"));
    addField(concurrency, tr("Embedding:"), m_embedConcurrency, QStringLiteral("engine/embed_concurrency"));
    m_memoryBudget->setToolTip(tr("Work starts while its estimated memory fits in this budget (a long PDF weighs "
                                  "more than a short one); a document bigger than the budget runs alone."));
    addField(concurrency, tr("Memory budget:"), m_memoryBudget, QStringLiteral("engine/memory_budget_mb"));

    QFormLayout *folders = addGroup(layout, tr("Dropped and watched folders"), this);
    m_followSymlinks->setObjectName(QStringLiteral("ingest/follow_symlinks"));
    m_followSymlinks->setToolTip(tr("Off: a link to a file outside the folder (say, to a password file) is skipped "
                                    "and named in the notice. Named pipes and devices are never read."));
    folders->addRow(m_followSymlinks);
    watch({m_followSymlinks});

    QFormLayout *retry = addGroup(layout, tr("Retries after transient errors"), this);
    addField(retry, tr("Attempts:"), m_maxAttempts, QStringLiteral("retry/max_attempts"));
    addField(retry, tr("First delay:"), m_baseDelay, QStringLiteral("retry/base_delay_ms"));
    addField(retry, tr("Longest delay:"), m_maxDelay, QStringLiteral("retry/max_delay_ms"));

    QFormLayout *ocr = addGroup(layout, tr("OCR (local parser)"), this);
    ocr->addRow(m_ocrEnabled);
    m_ocrLanguages->setPlaceholderText(QStringLiteral("eng+deu"));
    m_ocrLanguages->setToolTip(
        tr("Tesseract language codes joined by '+'; each needs its tesseract-ocr-<code> package."));
    addField(ocr, tr("Languages:"), m_ocrLanguages, QStringLiteral("ocr/languages"));
    addField(ocr, tr("Resolution:"), m_ocrDpi, QStringLiteral("ocr/dpi"));
    addField(ocr, tr("Warn below confidence:"), m_ocrMinConfidence, QStringLiteral("ocr/min_confidence"));
    watch({m_ocrEnabled, m_ocrLanguages});
    layout->addStretch(1);
}

void ProcessingPage::load(const Config &config)
{
    m_chunkTokens->setValue(config.chunking.chunkTokens);
    m_overlapTokens->setValue(config.chunking.overlapTokens);
    m_parseConcurrency->setValue(config.engine.parseConcurrency);
    m_chunkConcurrency->setValue(config.engine.chunkConcurrency);
    m_embedConcurrency->setValue(config.engine.embedConcurrency);
    m_memoryBudget->setValue(config.engine.memoryBudgetMb);
    m_followSymlinks->setChecked(config.ingest.followSymlinks);
    m_maxAttempts->setValue(config.retry.maxAttempts);
    m_baseDelay->setValue(double(config.retry.baseDelayMs) / 1000.0);
    m_maxDelay->setValue(double(config.retry.maxDelayMs) / 1000.0);
    m_ocrEnabled->setChecked(config.ocr.enabled);
    m_ocrLanguages->setText(config.ocr.languages);
    m_ocrDpi->setValue(config.ocr.dpi);
    m_ocrMinConfidence->setValue(config.ocr.minConfidence);
}

void ProcessingPage::apply(Config &config) const
{
    config.chunking.chunkTokens = m_chunkTokens->value();
    config.chunking.overlapTokens = m_overlapTokens->value();
    config.engine.parseConcurrency = m_parseConcurrency->value();
    config.engine.chunkConcurrency = m_chunkConcurrency->value();
    config.engine.embedConcurrency = m_embedConcurrency->value();
    config.engine.memoryBudgetMb = m_memoryBudget->value();
    config.ingest.followSymlinks = m_followSymlinks->isChecked();
    config.retry.maxAttempts = m_maxAttempts->value();
    config.retry.baseDelayMs = int(std::lround(m_baseDelay->value() * 1000.0));
    config.retry.maxDelayMs = int(std::lround(m_maxDelay->value() * 1000.0));
    config.ocr.enabled = m_ocrEnabled->isChecked();
    config.ocr.languages = m_ocrLanguages->text().trimmed();
    config.ocr.dpi = m_ocrDpi->value();
    config.ocr.minConfidence = m_ocrMinConfidence->value();
}

QList<ConfigProblem> ProcessingPage::formProblems() const
{
    QList<ConfigProblem> problems = SettingsPage::formProblems();
    if (m_baseDelay->value() > m_maxDelay->value())
        problems.append(
            {QStringLiteral("retry/base_delay_ms"), tr("The first delay cannot be longer than the longest delay.")});
    return problems;
}

} // namespace Docpipe::Ui
