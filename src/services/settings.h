// Tunables of the services, filled from configuration by app/ (defaults match DESIGN §2–§3).
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "crypto/password.h"

namespace keygate::services {

struct Settings {
  core::Seconds session_idle = 30 * 60;
  core::Seconds session_absolute = 12 * 3600;
  core::Seconds token_ttl = 3600;
  int login_max_failures = 5;          // per account
  int login_max_failures_per_ip = 20;  // per client IP
  core::Seconds login_window = 15 * 60;
  int token_max_failures = 10;         // per credential key
  int token_max_failures_per_ip = 30;  // per client IP
  core::Seconds token_window = 5 * 60;
  core::Seconds view_code_ttl = 10 * 60;
  int view_code_max_tries = 5;
  core::Seconds view_code_resend = 60;
  int view_code_max_per_hour = 5;
  crypto::PasswordCost password_cost = crypto::PasswordCost::kInteractive;
  // Expiry reminders, in days before expiry, longest first (DESIGN §2.2 rule 6).
  std::vector<int> reminder_days = {14, 7, 1};
  std::string mail_from = "Keygate <no-reply@keygate.local>";
};

}  // namespace keygate::services
