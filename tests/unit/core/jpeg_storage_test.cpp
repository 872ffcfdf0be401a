#include "sohoa/core/jpeg_storage.hpp"

#include <cstdint>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace sohoa::core {
namespace {

std::vector<std::uint8_t> jpeg_of(const cv::Mat& pixels) {
  std::vector<std::uint8_t> bytes;
  EXPECT_TRUE(cv::imencode(".jpg", pixels, bytes, {cv::IMWRITE_JPEG_QUALITY, 85}));
  return bytes;
}

TEST(JpegStorage, ACleanPageIsDeflatedTooAndSmallerSo) {
  cv::Mat page(1000, 800, CV_8UC1, cv::Scalar(255));
  for (int y = 80; y < 920; y += 36) {
    cv::rectangle(page, cv::Rect(60, y, 640 - (y % 100), 16), cv::Scalar(0), cv::FILLED);
  }
  const std::vector<std::uint8_t> jpeg = jpeg_of(page);
  const JpegStorage storage = jpeg_storage(jpeg);
  EXPECT_TRUE(storage.deflate);
  EXPECT_LT(storage.bytes, jpeg.size() * 97 / 100);
}

TEST(JpegStorage, ANoisyScanIsStoredAsItIs) {
  cv::Mat page(1000, 800, CV_8UC1);
  cv::randu(page, 0, 256);
  const std::vector<std::uint8_t> jpeg = jpeg_of(page);
  const JpegStorage storage = jpeg_storage(jpeg);
  EXPECT_FALSE(storage.deflate);
  EXPECT_EQ(storage.bytes, jpeg.size());
  EXPECT_EQ(jpeg_storage({}).bytes, 0U);
}

}  // namespace
}  // namespace sohoa::core
