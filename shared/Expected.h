#pragma once

// A value or an error: what core functions return instead of a silent false (C++20 has no std::expected).

#include <cassert>
#include <utility>
#include <variant>

namespace salesbot {

template <typename E>
struct Unexpected
{
    E error;
};

template <typename E>
Unexpected<std::decay_t<E>> unexpected(E&& error)
{
    return {std::forward<E>(error)};
}

template <typename T, typename E>
class [[nodiscard]] Expected
{
public:
    Expected(T value)
        : m_data(std::in_place_index<0>, std::move(value))
    {}
    template <typename G>
    Expected(Unexpected<G> error)
        : m_data(std::in_place_index<1>, std::move(error.error))
    {}

    bool hasValue() const { return m_data.index() == 0; }
    explicit operator bool() const { return hasValue(); }

    T& value() &
    {
        assert(hasValue());
        return std::get<0>(m_data);
    }
    const T& value() const&
    {
        assert(hasValue());
        return std::get<0>(m_data);
    }
    T&& value() &&
    {
        assert(hasValue());
        return std::get<0>(std::move(m_data));
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const E& error() const
    {
        assert(!hasValue());
        return std::get<1>(m_data);
    }

private:
    std::variant<T, E> m_data;
};

template <typename E>
class [[nodiscard]] Expected<void, E>
{
public:
    Expected() = default;
    template <typename G>
    Expected(Unexpected<G> error)
        : m_error(std::move(error.error))
        , m_hasError(true)
    {}

    bool hasValue() const { return !m_hasError; }
    explicit operator bool() const { return hasValue(); }
    const E& error() const
    {
        assert(m_hasError);
        return m_error;
    }

private:
    E m_error{};
    bool m_hasError = false;
};

} // namespace salesbot
