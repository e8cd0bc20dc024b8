// A sliding window of fixed time buckets in a fixed number of slots: bucket n lives in slot
// n % size, so memory stays flat however long the window runs and old buckets are overwritten.
#pragma once

#include <QList>

#include <limits>

namespace Docpipe::Metrics {

template <typename T>
class BucketRing final
{
public:
    BucketRing(qint64 bucketMs, int slotCount)
        : m_bucketMs(qMax<qint64>(1, bucketMs))
        , m_slots(qMax(1, slotCount))
    { }

    qint64 bucketMs() const { return m_bucketMs; }
    int size() const { return int(m_slots.size()); }

    // Bucket number of a time (floor division, so times before 1970 still order correctly).
    qint64 bucketOf(qint64 ms) const { return ms >= 0 ? ms / m_bucketMs : -((-ms + m_bucketMs - 1) / m_bucketMs); }
    qint64 startOf(qint64 bucket) const { return bucket * m_bucketMs; }

    // The bucket holding `ms`, emptied first if its slot held an older bucket; nullptr when the
    // slot already holds a newer bucket (`ms` has slid out of the window).
    T *slotFor(qint64 ms)
    {
        const qint64 bucket = bucketOf(ms);
        Slot &slot = m_slots[indexOf(bucket)];
        if (slot.bucket > bucket)
            return nullptr;
        if (slot.bucket < bucket) {
            slot.bucket = bucket;
            slot.value = T{};
        }
        return &slot.value;
    }

    // The bucket's value if the ring still holds it, else nullptr.
    const T *find(qint64 bucket) const
    {
        const Slot &slot = m_slots[indexOf(bucket)];
        return slot.bucket == bucket ? &slot.value : nullptr;
    }

    // Calls visit(bucketStartMs, const T *orNull) for `count` buckets, oldest first, ending with
    // the bucket `lastBucket`.
    template <typename Visit>
    void forEach(qint64 lastBucket, int count, Visit visit) const
    {
        for (qint64 bucket = lastBucket - count + 1; bucket <= lastBucket; ++bucket)
            visit(startOf(bucket), find(bucket));
    }

    // Every value held, whatever its age (for size accounting).
    template <typename Visit>
    void forEachHeld(Visit visit) const
    {
        for (const Slot &slot : m_slots) {
            if (slot.bucket != kEmpty)
                visit(slot.value);
        }
    }

private:
    static constexpr qint64 kEmpty = std::numeric_limits<qint64>::min();
    struct Slot
    {
        qint64 bucket = kEmpty;
        T value{};
    };

    qsizetype indexOf(qint64 bucket) const
    {
        const qint64 n = m_slots.size();
        return qsizetype(((bucket % n) + n) % n);
    }

    qint64 m_bucketMs;
    QList<Slot> m_slots;
};

} // namespace Docpipe::Metrics
