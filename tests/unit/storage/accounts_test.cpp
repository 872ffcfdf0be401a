#include "sohoa/storage/accounts.hpp"

#include <gtest/gtest.h>

#include "sohoa/core/errors.hpp"
#include "temp_dir.hpp"

namespace sohoa::storage {
namespace {

UserRecord make_user(const std::string& name, Role role) {
  UserRecord user;
  user.name = name;
  user.role = role;
  user.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$fake";
  user.created_at = "2026-06-01T07:00:00Z";
  return user;
}

class AccountsTest : public test::TempDirTest {
 protected:
  Catalog open() { return Catalog::open(dir() / "catalog.sqlite", true); }
};

TEST_F(AccountsTest, RolesReadAndWriteByTheirNames) {
  for (const auto role : {Role::admin, Role::archivist, Role::official, Role::operator_}) {
    EXPECT_EQ(parse_role(to_string(role)), role);
  }
  EXPECT_EQ(to_string(Role::operator_), "operator");
  EXPECT_FALSE(parse_role("root"));
  EXPECT_FALSE(parse_role("Admin"));
}

TEST_F(AccountsTest, UsersAreStoredListedByNameAndUnique) {
  auto catalog = open();
  add_user(catalog, make_user("minh", Role::official));
  add_user(catalog, make_user("an", Role::admin));
  const auto users = list_users(catalog);
  ASSERT_EQ(users.size(), 2U);
  EXPECT_EQ(users[0].name, "an");
  EXPECT_EQ(users[0].role, Role::admin);
  EXPECT_EQ(users[1].password_hash, "$argon2id$v=19$m=65536,t=2,p=1$fake");
  EXPECT_FALSE(users[1].disabled);
  EXPECT_THROW(add_user(catalog, make_user("an", Role::official)), core::UsageError);
  EXPECT_THROW(add_user(catalog, make_user("", Role::official)), core::UsageError);
  EXPECT_THROW(add_user(catalog, make_user("a\nb", Role::official)), core::UsageError);
  EXPECT_THROW(add_user(catalog, make_user(std::string(65, 'x'), Role::official)), core::UsageError);
  EXPECT_FALSE(find_user(catalog, "nobody"));
}

TEST_F(AccountsTest, ANewPasswordOrDisablingEndsTheUsersSessions) {
  auto catalog = open();
  add_user(catalog, make_user("an", Role::archivist));
  add_user(catalog, make_user("binh", Role::archivist));
  add_session(catalog, {"s1", "an", "c1", 100, 100});
  add_session(catalog, {"s2", "binh", "c2", 100, 100});
  set_password_hash(catalog, "an", "$argon2id$new");
  EXPECT_EQ(find_user(catalog, "an")->password_hash, "$argon2id$new");
  EXPECT_FALSE(find_session(catalog, "s1"));
  EXPECT_TRUE(find_session(catalog, "s2"));
  set_disabled(catalog, "binh", true);
  EXPECT_TRUE(find_user(catalog, "binh")->disabled);
  EXPECT_FALSE(find_session(catalog, "s2"));
  set_disabled(catalog, "binh", false);
  EXPECT_FALSE(find_user(catalog, "binh")->disabled);
  EXPECT_THROW(set_disabled(catalog, "nobody", true), core::UsageError);
  EXPECT_THROW(set_password_hash(catalog, "nobody", "x"), core::UsageError);
}

TEST_F(AccountsTest, SessionsAreTouchedAndExpiredByTime) {
  auto catalog = open();
  add_user(catalog, make_user("an", Role::archivist));
  add_session(catalog, {"old", "an", "c1", 100, 100});
  add_session(catalog, {"idle", "an", "c2", 5000, 5000});
  add_session(catalog, {"fresh", "an", "c3", 9000, 9000});
  touch_session(catalog, "fresh", 9500);
  EXPECT_EQ(find_session(catalog, "fresh")->last_seen, 9500);
  EXPECT_EQ(find_session(catalog, "fresh")->csrf, "c3");
  delete_expired_sessions(catalog, 1000, 6000);
  EXPECT_FALSE(find_session(catalog, "old"));
  EXPECT_FALSE(find_session(catalog, "idle"));
  EXPECT_TRUE(find_session(catalog, "fresh"));
  delete_session(catalog, "fresh");
  EXPECT_FALSE(find_session(catalog, "fresh"));
}

TEST_F(AccountsTest, LoginFailuresAreCountedByUserAndByAddressInTheWindow) {
  auto catalog = open();
  add_login_failure(catalog, "an", "10.0.0.1", 100);
  add_login_failure(catalog, "an", "10.0.0.2", 200);
  add_login_failure(catalog, "binh", "10.0.0.1", 300);
  auto counted = count_login_failures(catalog, "an", "10.0.0.1", 0);
  EXPECT_EQ(counted.by_user, 2);
  EXPECT_EQ(counted.by_address, 2);
  counted = count_login_failures(catalog, "an", "10.0.0.1", 150);
  EXPECT_EQ(counted.by_user, 1);
  EXPECT_EQ(counted.by_address, 1);
  delete_login_failures_before(catalog, 250);
  counted = count_login_failures(catalog, "binh", "10.0.0.2", 0);
  EXPECT_EQ(counted.by_user, 1);
  EXPECT_EQ(counted.by_address, 0);
}

TEST_F(AccountsTest, EventsAreListedNewestFirstByUserAndAction) {
  auto catalog = open();
  catalog.add_event("2026-06-01T08:00:00Z", "an", "view", "D1", "127.0.0.1");
  catalog.add_event("2026-06-01T08:01:00Z", "an", "download", "D1", "127.0.0.1");
  catalog.add_event("2026-06-01T08:02:00Z", "binh", "view", "D2", "127.0.0.1");
  EventFilter filter;
  auto events = catalog.events(filter);
  ASSERT_EQ(events.size(), 3U);
  EXPECT_EQ(events[0].dossier, "D2");
  filter.actor = "an";
  events = catalog.events(filter);
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[0].action, "download");
  filter.action = "view";
  events = catalog.events(filter);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].at, "2026-06-01T08:00:00Z");
  filter = {};
  filter.limit = 1;
  EXPECT_EQ(catalog.events(filter).size(), 1U);
  filter.limit = -1;
  EXPECT_THROW(catalog.events(filter), QueryError);
}

TEST_F(AccountsTest, BatchFailuresAreStoredPerBatch) {
  auto catalog = open();
  BatchRecord batch;
  batch.started_at = "2026-06-01T08:00:00Z";
  const auto first = catalog.begin_batch(batch);
  const auto second = catalog.begin_batch(batch);
  catalog.add_batch_failures(first, {{"D2", 2, "unreadable", "2.jpg: not an image"},
                                     {"D1", 0, "manifest", "no such procedure"}});
  const auto failures = catalog.batch_failures(first);
  ASSERT_EQ(failures.size(), 2U);
  EXPECT_EQ(failures[0].dossier, "D1");
  EXPECT_EQ(failures[1].reason, "unreadable");
  EXPECT_EQ(failures[1].page, 2);
  EXPECT_TRUE(catalog.batch_failures(second).empty());
}

TEST_F(AccountsTest, ASchemaOneCatalogUpgradesToHoldAccounts) {
  const auto file = dir() / "v1.sqlite";
  std::filesystem::copy_file(test::source_path("tests/fixtures/storage/catalog_v1.sqlite"), file);
  {
    auto catalog = Catalog::open(file, false);
    EXPECT_EQ(catalog.dossier_codes().size(), 2U) << "the dossiers survive the upgrade";
    EXPECT_TRUE(list_users(catalog).empty());
    add_user(catalog, make_user("an", Role::admin));
    add_session(catalog, {"s1", "an", "c1", 100, 100});
    catalog.add_event("2026-06-01T08:00:00Z", "an", "login", "", "127.0.0.1");
  }
  auto again = Catalog::open(file, false);
  EXPECT_EQ(find_user(again, "an")->role, Role::admin);
  EXPECT_TRUE(find_session(again, "s1"));
  EventFilter filter;
  filter.actor = "an";
  EXPECT_EQ(again.events(filter).size(), 1U);
}

}  // namespace
}  // namespace sohoa::storage
