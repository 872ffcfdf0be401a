#pragma once
// The three tiers of failure (STYLE.md §5):
//  - a page that cannot be processed is a value: tl::expected<T, PageError>;
//  - a failure that stops the whole run (no tessdata, archive not writable) throws Fatal;
//  - asserts are for programmer errors only.

#include <stdexcept>
#include <string>

#include <tl/expected.hpp>

#include "sohoa/core/types.hpp"

namespace sohoa::core {

// Stops the run. The message names the thing at fault and what to do about it.
class Fatal : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A bad-input error for the user: the command's arguments or inputs make it unable to run at all
// (exit 2), as opposed to a per-page failure.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PageError {
  PageOutcome outcome = PageOutcome::unreadable;
  std::string message;  // for a person: what is wrong with the file, without the path
};

template <typename T>
using PageResult = tl::expected<T, PageError>;

}  // namespace sohoa::core
