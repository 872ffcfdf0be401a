// Design notes
// - Lossless: libjpeg reads the scan's quantised DCT coefficients (jpeg_read_coefficients) and
//   writes the very same coefficients again (jpeg_write_coefficients) with Huffman tables made for
//   this image (optimize_coding) instead of the standard tables most scanners use; markers other
//   than the frame's (EXIF, thumbnails, comments) are not copied. Every decoder gives the same
//   pixels for both files. What `jpegtran -optimize -copy none` does, through the library.
// - libjpeg reports errors through error_exit, which must not return: the canonical
//   setjmp/longjmp, kept inside repack_jpeg, with no C++ object alive across the jump (the
//   result vector is built after the last libjpeg call that can fail).

#include <csetjmp>
#include <cstdio>
#include <cstdlib>

#include <jpeglib.h>

#include "sohoa/pipeline/imaging.hpp"

namespace sohoa::pipeline {
namespace {

struct ErrorManager {
  jpeg_error_mgr base;
  std::jmp_buf jump;
};

extern "C" void jump_on_error(j_common_ptr info) {
  std::longjmp(reinterpret_cast<ErrorManager*>(info->err)->jump, 1);
}

extern "C" void stay_quiet(j_common_ptr /*info*/, int /*level*/) {}

}  // namespace

std::optional<std::vector<std::uint8_t>> repack_jpeg(const std::vector<std::uint8_t>& bytes) {
  if (bytes.empty()) {
    return std::nullopt;
  }
  jpeg_decompress_struct in{};
  jpeg_compress_struct out{};
  ErrorManager errors{};
  in.err = jpeg_std_error(&errors.base);
  out.err = in.err;
  errors.base.error_exit = jump_on_error;
  errors.base.emit_message = stay_quiet;
  unsigned char* packed = nullptr;
  unsigned long packed_size = 0;  // NOLINT(google-runtime-int): libjpeg's type
  jpeg_create_decompress(&in);
  jpeg_create_compress(&out);
  if (setjmp(errors.jump) != 0) {
    jpeg_destroy_compress(&out);
    jpeg_destroy_decompress(&in);
    std::free(packed);
    return std::nullopt;
  }
  jpeg_mem_src(&in, bytes.data(), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&in, TRUE);
  jvirt_barray_ptr* coefficients = jpeg_read_coefficients(&in);
  jpeg_copy_critical_parameters(&in, &out);
  out.optimize_coding = TRUE;
  jpeg_mem_dest(&out, &packed, &packed_size);
  jpeg_write_coefficients(&out, coefficients);
  jpeg_finish_compress(&out);
  jpeg_finish_decompress(&in);
  jpeg_destroy_compress(&out);
  jpeg_destroy_decompress(&in);
  std::optional<std::vector<std::uint8_t>> result;
  if (packed != nullptr && packed_size > 0) {
    result.emplace(packed, packed + packed_size);
  }
  std::free(packed);
  return result;
}

}  // namespace sohoa::pipeline
