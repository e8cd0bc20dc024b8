// Result<T>: a value or the StageError that prevented it.
#pragma once

#include "stageerror.h"

#include <utility>
#include <variant>

namespace Docpipe {

template <typename T>
class Result
{
public:
    Result(T value)
        : m_data(std::move(value))
    { }
    Result(StageError error)
        : m_data(std::move(error))
    { }

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_data); }
    T &value() & { return std::get<T>(m_data); }
    // By value: `for (x : f().value())` must not dangle.
    T value() && { return std::get<T>(std::move(m_data)); }
    const StageError &error() const { return std::get<StageError>(m_data); }

private:
    std::variant<T, StageError> m_data;
};

} // namespace Docpipe
