#include "multipartreader.h"

#include <QRegularExpression>

namespace Docpipe::Services {

namespace {

std::optional<QByteArray> dispositionParameter(const QByteArray &disposition, const char *name)
{
    const QRegularExpression pattern(QStringLiteral("(?:^|;)\\s*%1=\"([^\"]*)\"").arg(QLatin1String(name)),
                                     QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = pattern.match(QString::fromUtf8(disposition));
    if (!match.hasMatch())
        return std::nullopt;
    return match.captured(1).toUtf8();
}

} // namespace

QByteArray MultipartReader::boundaryOf(const QByteArray &contentType)
{
    static const QRegularExpression pattern(QStringLiteral("boundary=(?:\"([^\"]+)\"|([^;\\s]+))"),
                                            QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = pattern.match(QString::fromLatin1(contentType));
    if (!match.hasMatch())
        return {};
    return (match.captured(1).isEmpty() ? match.captured(2) : match.captured(1)).toLatin1();
}

MultipartReader::MultipartReader(const QByteArray &boundary, qsizetype maxPartHeadBytes)
    : m_delimiter("\r\n--" + boundary)
    , m_maxHeadBytes(maxPartHeadBytes)
    , m_buffer("\r\n") // so the first delimiter, at the very start, is found like the others
{ }

void MultipartReader::fail(const QString &reason)
{
    if (m_state == State::Failed)
        return;
    m_state = State::Failed;
    m_error = reason;
}

bool MultipartReader::feed(QByteArrayView bytes)
{
    if (m_state == State::Failed)
        return false;
    if (m_state == State::Done)
        return true; // the epilogue is ignored
    m_buffer.append(bytes);
    while (step()) { }
    return m_state != State::Failed;
}

// One move of the state machine; false when it needs more bytes (or is done or failed).
bool MultipartReader::step()
{
    switch (m_state) {
    case State::Preamble: {
        const qsizetype at = m_buffer.indexOf(m_delimiter);
        if (at < 0) {
            m_buffer = m_buffer.right(m_delimiter.size() - 1);
            return false;
        }
        m_buffer.remove(0, at + m_delimiter.size());
        m_state = State::AfterDelimiter;
        return true;
    }
    case State::AfterDelimiter: {
        if (m_buffer.size() < 2)
            return false;
        if (m_buffer.startsWith("--")) {
            m_state = State::Done;
            m_buffer.clear();
            return false;
        }
        const qsizetype lineEnd = m_buffer.indexOf("\r\n"); // transport padding may precede it
        if (lineEnd < 0) {
            if (m_buffer.size() > 256)
                fail(QStringLiteral("the form's boundary line does not end"));
            return false;
        }
        if (!m_buffer.left(lineEnd).trimmed().isEmpty()) {
            fail(QStringLiteral("the form's boundary is followed by unexpected bytes"));
            return false;
        }
        m_buffer.remove(0, lineEnd + 2);
        m_state = State::PartHead;
        return true;
    }
    case State::PartHead: {
        const qsizetype end = m_buffer.startsWith("\r\n") ? 0 : m_buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_buffer.size() > m_maxHeadBytes)
                fail(QStringLiteral("a form part's headers are over %1 bytes").arg(m_maxHeadBytes));
            return false;
        }
        FormPartHead head;
        for (const QByteArray &line : m_buffer.left(end).split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon < 0)
                continue;
            const QByteArray key = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (key == "content-disposition") {
                head.name = dispositionParameter(value, "name").value_or(QByteArray());
                const auto fileName = dispositionParameter(value, "filename");
                head.hasFileName = fileName.has_value();
                head.fileName = fileName.value_or(QByteArray());
            } else if (key == "content-type") {
                head.contentType = value;
            }
        }
        m_buffer.remove(0, end + (end == 0 ? 2 : 4));
        m_state = State::PartBody;
        if (onPartBegin && !onPartBegin(head)) {
            fail(m_error.isEmpty() ? QStringLiteral("the form part was refused") : m_error);
            return false;
        }
        return m_state == State::PartBody;
    }
    case State::PartBody: {
        const qsizetype at = m_buffer.indexOf(m_delimiter);
        // Without a delimiter, all but its possible beginning at the end is the part's.
        const qsizetype safe = at >= 0 ? at : qMax<qsizetype>(0, m_buffer.size() - (m_delimiter.size() - 1));
        if (safe > 0 && onPartData && !onPartData(QByteArrayView(m_buffer).first(safe))) {
            fail(m_error.isEmpty() ? QStringLiteral("the form part was refused") : m_error);
            return false;
        }
        if (m_state == State::Failed)
            return false;
        if (at < 0) {
            m_buffer.remove(0, safe);
            return false;
        }
        m_buffer.remove(0, at + m_delimiter.size());
        m_state = State::AfterDelimiter;
        if (onPartEnd && !onPartEnd()) {
            fail(m_error.isEmpty() ? QStringLiteral("the form part was refused") : m_error);
            return false;
        }
        return m_state == State::AfterDelimiter;
    }
    case State::Done:
    case State::Failed:
        return false;
    }
    return false;
}

} // namespace Docpipe::Services
