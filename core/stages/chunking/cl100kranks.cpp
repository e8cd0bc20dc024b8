// The merge is tiktoken's: start from single bytes, repeatedly join the adjacent pair whose
// joined bytes have the lowest rank (the leftmost on a tie) until no joined pair is a token.
// Short pieces use tiktoken's quadratic scan (fastest for the few bytes of a word); long pieces
// (runs of symbols, words with no spaces) a heap over a linked list, so a megabyte without a
// space costs n log n, not n².
#include "cl100kranks.h"

#include "logging.h"

#include <QFile>

#include <algorithm>
#include <cstring>
#include <queue>
#include <tuple>

namespace Docpipe::Stages::Cl100kDetail {
namespace {

constexpr std::size_t kLargePiece = 128;

// Eight bytes at a time: most pieces are one word, so this is one or two multiplications.
std::uint64_t hashBytes(std::string_view bytes)
{
    std::uint64_t h = 0x9e3779b97f4a7c15ull ^ bytes.size();
    const char *p = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
        std::uint64_t word = 0;
        const std::size_t take = std::min<std::size_t>(left, 8);
        std::memcpy(&word, p, take);
        h = (h ^ word) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
        p += take;
        left -= take;
    }
    return h;
}

} // namespace

const RankTable &RankTable::instance()
{
    static const RankTable table;
    return table;
}

RankTable::RankTable()
{
    QFile file(QStringLiteral(":/docpipe/chunking/cl100k_base.ranks"));
    if (file.open(QIODevice::ReadOnly))
        m_blob = file.readAll();
    const auto *data = reinterpret_cast<const unsigned char *>(m_blob.constData());
    const std::size_t size = std::size_t(m_blob.size());
    m_offsets.reserve(100256);
    for (std::size_t at = 0; at < size;) {
        const std::size_t length = data[at];
        if (length == 0 || at + 1 + length > size)
            break;
        m_offsets.push_back(std::uint32_t(at + 1));
        at += 1 + length;
    }
    m_count = int(m_offsets.size());
    for (std::uint32_t r = 0; r < std::uint32_t(m_count); ++r)
        m_maxLength = std::max(m_maxLength, bytes(r).size());
    if (m_count == 0) {
        qCWarning(lcStages) << "The cl100k_base rank table is missing; token counts fall back to the estimate.";
        return;
    }
    std::size_t capacity = 1;
    while (capacity < m_offsets.size() * 2)
        capacity *= 2;
    m_slots.resize(capacity);
    m_mask = capacity - 1;
    for (std::uint32_t r = 0; r < std::uint32_t(m_count); ++r) {
        const std::string_view token = bytes(r);
        std::uint64_t slot = hashBytes(token) & m_mask;
        while (m_slots[slot].rank != kNoRank)
            slot = (slot + 1) & m_mask;
        m_slots[slot] = {m_offsets[r], r, std::uint32_t(token.size())};
    }
}

std::string_view RankTable::bytes(std::uint32_t rank) const
{
    if (rank >= m_offsets.size())
        return {};
    const std::uint32_t at = m_offsets[rank];
    return std::string_view(m_blob.constData() + at, std::size_t(static_cast<unsigned char>(m_blob.at(at - 1))));
}

std::uint32_t RankTable::rank(std::string_view bytes) const
{
    return bytes.size() > m_maxLength ? kNoRank : rank(bytes, hashBytes(bytes));
}

std::uint32_t RankTable::rank(std::string_view bytes, std::uint64_t hash) const
{
    if (bytes.size() > m_maxLength)
        return kNoRank;
    for (std::uint64_t slot = hash & m_mask;; slot = (slot + 1) & m_mask) {
        const Slot &s = m_slots[slot];
        if (s.rank == kNoRank)
            return kNoRank;
        if (s.length == bytes.size() && std::memcmp(m_blob.constData() + s.offset, bytes.data(), bytes.size()) == 0)
            return s.rank;
    }
}

void RankTable::merge(std::string_view piece, std::vector<std::size_t> &bounds) const
{
    const std::size_t n = piece.size();
    bounds.clear();
    if (n >= kLargePiece) {
        mergeLarge(piece, bounds);
        return;
    }
    struct Part
    {
        std::size_t start;
        std::uint32_t rank; // of joining this part with the next one
    };
    Part parts[kLargePiece + 1];
    std::size_t count = 0;
    std::uint32_t minRank = kNoRank;
    std::size_t minAt = 0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const std::uint32_t r = rank(piece.substr(i, 2));
        if (r < minRank) {
            minRank = r;
            minAt = i;
        }
        parts[count++] = {i, r};
    }
    parts[count++] = {n - 1, kNoRank};
    parts[count++] = {n, kNoRank};
    // The rank of parts i and i+1 joined, once part i+1 has absorbed part i+2.
    const auto joinedRank = [&](std::size_t i) {
        return i + 3 < count ? rank(piece.substr(parts[i].start, parts[i + 3].start - parts[i].start)) : kNoRank;
    };
    while (minRank != kNoRank) {
        const std::size_t i = minAt;
        if (i > 0)
            parts[i - 1].rank = joinedRank(i - 1);
        parts[i].rank = joinedRank(i);
        std::copy(parts + i + 2, parts + count, parts + i + 1);
        --count;
        minRank = kNoRank;
        for (std::size_t k = 0; k + 1 < count; ++k) {
            if (parts[k].rank < minRank) {
                minRank = parts[k].rank;
                minAt = k;
            }
        }
    }
    for (std::size_t k = 0; k < count; ++k)
        bounds.push_back(parts[k].start);
}

// Same result as merge(): the heap orders candidate joins by (rank, start), which is tiktoken's
// "lowest rank, leftmost"; a candidate whose parts changed since it was queued is skipped.
void RankTable::mergeLarge(std::string_view piece, std::vector<std::size_t> &bounds) const
{
    const std::size_t n = piece.size();
    constexpr std::size_t kNone = std::size_t(-1);
    // A part is named by its first byte's offset; next[p] is where the following part starts.
    std::vector<std::size_t> next(n);
    std::vector<std::size_t> prev(n);
    std::vector<char> alive(n, 1);
    for (std::size_t i = 0; i < n; ++i) {
        next[i] = i + 1;
        prev[i] = i == 0 ? kNone : i - 1;
    }
    using Candidate = std::tuple<std::uint32_t, std::size_t, std::size_t>; // rank, left, joined end
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap;
    const auto consider = [&](std::size_t left) {
        if (left == kNone || next[left] >= n)
            return;
        const std::size_t end = next[next[left]];
        const std::uint32_t r = rank(piece.substr(left, end - left));
        if (r != kNoRank)
            heap.emplace(r, left, end);
    };
    for (std::size_t i = 0; i + 1 < n; ++i)
        consider(i);
    while (!heap.empty()) {
        const auto [r, left, end] = heap.top();
        heap.pop();
        if (!alive[left] || next[left] >= n || next[next[left]] != end)
            continue;
        const std::size_t right = next[left];
        alive[right] = 0;
        next[left] = next[right];
        if (next[left] < n)
            prev[next[left]] = left;
        consider(prev[left]);
        consider(left);
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (alive[i])
            bounds.push_back(i);
    }
    bounds.push_back(n);
}

// Words that are not one token recur (names, terms of the trade, inflections): each thread keeps
// the counts of the last few thousand short pieces it merged, so text costs about one hash
// lookup per piece.
int RankTable::countPiece(std::string_view piece) const
{
    if (piece.empty())
        return 0;
    const std::uint64_t hash = hashBytes(piece);
    if (piece.size() == 1 || rank(piece, hash) != kNoRank)
        return 1;
    struct Cached
    {
        std::uint8_t length = 0;
        char bytes[27];
        std::int32_t count = 0;
    };
    thread_local std::vector<Cached> cache(4096);
    Cached &cached = cache[(hash >> 20) & 4095];
    const bool cacheable = piece.size() <= sizeof(cached.bytes);
    if (cacheable && cached.length == piece.size() && std::memcmp(cached.bytes, piece.data(), piece.size()) == 0)
        return cached.count;
    thread_local std::vector<std::size_t> bounds;
    merge(piece, bounds);
    const int count = int(bounds.size()) - 1;
    if (cacheable) {
        cached.length = std::uint8_t(piece.size());
        std::memcpy(cached.bytes, piece.data(), piece.size());
        cached.count = count;
    }
    return count;
}

void RankTable::encodePiece(std::string_view piece, std::vector<std::uint32_t> &out) const
{
    if (const std::uint32_t whole = rank(piece); whole != kNoRank) {
        out.push_back(whole);
        return;
    }
    if (piece.size() == 1) // every single byte is a token; only a missing table gets here
        return;
    std::vector<std::size_t> bounds;
    merge(piece, bounds);
    for (std::size_t k = 0; k + 1 < bounds.size(); ++k)
        out.push_back(rank(piece.substr(bounds[k], bounds[k + 1] - bounds[k])));
}

} // namespace Docpipe::Stages::Cl100kDetail
