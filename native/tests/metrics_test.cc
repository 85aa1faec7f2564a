// Metrics: defined only in config_new (Frozen afterwards), labels checked, values readable.
#include <gtest/gtest.h>

#include "test_support.h"

using namespace envoyext;

namespace {

TEST(Metrics, DefinitionFreezesAfterConfigNewAndLabelsAreChecked) {
  auto h = test::host_with_filter("testfilters", "metrics", "", 2);
  for (int i = 0; i < 3; ++i) {
    auto r = h->run(test::get_request());
    ASSERT_TRUE(r.upstream_request);
    EXPECT_EQ(test::header(r.upstream_request->headers, "x-define-late"), "3");  // Frozen
    EXPECT_EQ(test::header(r.upstream_request->headers, "x-bad-labels"), "2");   // InvalidLabels
    EXPECT_EQ(test::header(r.upstream_request->headers, "x-missing"), "1");      // MetricNotFound
  }
  auto* hits = h->metrics().find(host::MetricKind::Counter, "test_hits");
  ASSERT_NE(hits, nullptr);
  EXPECT_EQ(hits->value({"api", "ok"}), 3u);
  EXPECT_EQ(hits->value({"api", "other"}), 0u);
  EXPECT_EQ(h->metrics().find(host::MetricKind::Counter, "late"), nullptr);
  auto* sizes = h->metrics().find(host::MetricKind::Histogram, "test_sizes");
  ASSERT_NE(sizes, nullptr);
  EXPECT_EQ(sizes->value({}), 126u);  // sum of 3 x (40 + 2)
  auto* gauge = h->metrics().find(host::MetricKind::Gauge, "test_active");
  ASSERT_NE(gauge, nullptr);
  EXPECT_EQ(gauge->value({}), 9u);
  bool labelled_sample = false;
  for (const auto& s : h->metrics().snapshot()) {
    if (s.name == "test_hits") {
      labelled_sample = s.labels.size() == 2 && s.labels[0].first == "route" && s.labels[1].second == "ok";
    }
  }
  EXPECT_TRUE(labelled_sample);
}

}  // namespace
