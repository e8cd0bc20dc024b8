#include "memorybudget.h"

#include "metrics/memoryadmission.h"

#include <QFileInfo>
#include <QMutexLocker>

#include <algorithm>

namespace Docpipe {

MemoryBudget::MemoryBudget(qint64 budgetBytes)
    : m_budget(std::max<qint64>(1, budgetBytes))
{
    Metrics::addMemoryBudget(m_budget);
}

MemoryBudget::~MemoryBudget()
{
    Metrics::addMemoryBudget(-m_budget);
    Metrics::addAdmittedMemory(-m_admitted);
}

void MemoryBudget::admit(qint64 bytes)
{
    m_admitted += bytes;
    Metrics::addAdmittedMemory(bytes);
}

// With m_mutex held: waits in `line` until this request is first in it and `admissible`, or until
// `giveUp`. The caller admits on true, before anyone else can take the mutex.
bool MemoryBudget::waitInLine(QList<quint64> &line, const std::function<bool()> &admissible,
                              const std::function<bool()> &giveUp)
{
    const quint64 ticket = m_nextTicket++;
    line.append(ticket);
    Metrics::addMemoryWaiters(1);
    bool admitted = false;
    for (;;) {
        if (line.first() == ticket && admissible()) {
            admitted = true;
            break;
        }
        if (giveUp && giveUp())
            break;
        m_changed.wait(&m_mutex, 200); // also wakes to ask giveUp (a stop, a cancel, a lost lease)
    }
    line.removeOne(ticket);
    Metrics::addMemoryWaiters(-1);
    m_changed.wakeAll(); // the next in line may fit now (or may now be first)
    return admitted;
}

bool MemoryBudget::reserve(qint64 bytes, const std::function<bool()> &giveUp)
{
    QMutexLocker lock(&m_mutex);
    const auto admissible = [&] { return m_extraWaiting.isEmpty() && fits(bytes); }; // extras go first
    if (!(m_waiting.isEmpty() && admissible()) && !waitInLine(m_waiting, admissible, giveUp))
        return false;
    admit(bytes);
    return true;
}

void MemoryBudget::release(qint64 bytes)
{
    {
        QMutexLocker lock(&m_mutex);
        const qint64 released = std::min(bytes, m_admitted - m_extraAdmitted);
        m_admitted -= released;
        Metrics::addAdmittedMemory(-released);
    }
    m_changed.wakeAll();
}

bool MemoryBudget::reserveExtra(qint64 bytes, const std::function<bool()> &giveUp)
{
    QMutexLocker lock(&m_mutex);
    const auto admissible = [&] { return extraFits(bytes); };
    if (!(m_extraWaiting.isEmpty() && admissible()) && !waitInLine(m_extraWaiting, admissible, giveUp))
        return false;
    admit(bytes);
    m_extraAdmitted += bytes;
    return true;
}

void MemoryBudget::releaseExtra(qint64 bytes)
{
    {
        QMutexLocker lock(&m_mutex);
        const qint64 released = std::min(bytes, m_extraAdmitted);
        m_extraAdmitted -= released;
        m_admitted -= released;
        Metrics::addAdmittedMemory(-released);
    }
    m_changed.wakeAll();
}

qint64 MemoryBudget::admittedBytes() const
{
    QMutexLocker lock(&m_mutex);
    return m_admitted;
}

int MemoryBudget::waiting() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_waiting.size() + m_extraWaiting.size());
}

bool MemoryBudget::isSaturated() const
{
    QMutexLocker lock(&m_mutex);
    return !m_waiting.isEmpty() || !m_extraWaiting.isEmpty() || m_admitted >= m_budget;
}

StageContext::MemoryReserver extraMemoryReserver(std::shared_ptr<MemoryBudget> budget, std::function<bool()> mustStop)
{
    return [budget = std::move(budget), mustStop = std::move(mustStop)](qint64 bytes) -> std::optional<MemoryHold> {
        if (!budget->reserveExtra(bytes, mustStop))
            return std::nullopt;
        return MemoryHold([budget, bytes] { budget->releaseExtra(bytes); });
    };
}

namespace {

constexpr qint64 kMb = 1024 * 1024;
constexpr qint64 kStageBaseBytes = 2 * kMb; // a stage's own buffers, a database connection's caches
constexpr qint64 kTextBytesPerPage = 8 * 1024; // extracted text of a page (UTF-16), generously

// How much a parse holds per byte of the file: a PDF's poppler objects and text, a DOCX's inflated
// XML and its text; a text file's bytes, their decoding (UTF-16) and the pages.
qint64 parseFactor(const Store::JobRecord &job)
{
    const QString type = job.docType.isEmpty() ? QFileInfo(job.name).suffix().toLower() : job.docType;
    if (type == QLatin1String("pdf"))
        return 10;
    if (type == QLatin1String("docx"))
        return 12;
    return 6;
}

} // namespace

qint64 estimateStageBytes(const Store::JobRecord &job)
{
    // The text once extracted, from the file's size (3x: PDFs compress their text, UTF-16 doubles
    // it) or from the page count once parsing has counted pages, whichever is more.
    const qint64 textBytes = std::max(3 * job.sizeBytes, qint64(job.pages) * kTextBytesPerPage);
    switch (job.stage) {
    case Stage::Parsing:
        return kStageBaseBytes + parseFactor(job) * job.sizeBytes;
    case Stage::Chunking:
        return kStageBaseBytes + 4 * textBytes; // the pages, the chunks (with overlap), their SQL rows
    case Stage::Embedding:
        return kStageBaseBytes + std::min<qint64>(textBytes, 8 * kMb); // one window of chunks at a time
    default:
        return kStageBaseBytes;
    }
}

} // namespace Docpipe
