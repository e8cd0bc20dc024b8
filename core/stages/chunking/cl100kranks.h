// cl100k_base's byte-pair rank table (OpenAI's tokenizer for its embedding models), loaded once
// from the resource cl100k/cl100k_base.ranks, and the byte-pair merge that turns one
// pre-tokenized piece into tokens. Internal to the tokenizer; thread-safe after construction.
#pragma once

#include <QByteArray>

#include <cstdint>
#include <string_view>
#include <vector>

namespace Docpipe::Stages::Cl100kDetail {

class RankTable final
{
public:
    static constexpr std::uint32_t kNoRank = 0xffffffffu;

    static const RankTable &instance();

    bool isEmpty() const { return m_count == 0; }
    int size() const { return m_count; }
    std::uint32_t rank(std::string_view bytes) const;
    // The token's bytes (empty for a rank out of range).
    std::string_view bytes(std::uint32_t rank) const;

    // Number of tokens the piece encodes to (the piece's whole bytes first, then merges).
    int countPiece(std::string_view piece) const;
    // No token is longer: a piece of n bytes has at least n / this many tokens.
    std::size_t longestToken() const { return m_maxLength; }
    // The piece's tokens, appended to `out`.
    void encodePiece(std::string_view piece, std::vector<std::uint32_t> &out) const;

private:
    RankTable();
    struct Slot
    {
        std::uint32_t offset = 0;
        std::uint32_t rank = kNoRank; // kNoRank: empty slot
        std::uint32_t length = 0;
    };
    // Boundaries of the parts left after merging, as byte offsets (first 0, last piece.size()).
    void merge(std::string_view piece, std::vector<std::size_t> &bounds) const;
    void mergeLarge(std::string_view piece, std::vector<std::size_t> &bounds) const;
    std::uint32_t rank(std::string_view bytes, std::uint64_t hash) const;

    QByteArray m_blob; // the resource: length byte + bytes, per rank
    std::vector<std::uint32_t> m_offsets; // by rank: where the token's bytes start in m_blob
    std::vector<Slot> m_slots; // open addressing, power-of-two size
    std::uint64_t m_mask = 0;
    std::size_t m_maxLength = 0; // of any token; 0 while no table is loaded
    int m_count = 0;
};

} // namespace Docpipe::Stages::Cl100kDetail
