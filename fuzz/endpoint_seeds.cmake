# Writes seeds for fuzz_endpoint into OUT from the JSON FIXTURES, laid out as that target reads
# its input (see the top of fuzz_endpoint.cpp): from the front the target and each header value,
# each ended by "\ ", then the body; at the end one byte per choice, the first choice last.
# Usage: cmake -DOUT=<dir> -DFIXTURES=<file|file...> -P endpoint_seeds.cmake
string(REPLACE "|" ";" FIXTURES "${FIXTURES}")
foreach(code 1 2 3 4 6 7)
  string(ASCII ${code} byte_${code})
endforeach()
# Choices (each byte taken modulo the number of options): setup (open 4, signed by harness 1,
# hand-off 3), method (POST 6, GET 1), header count 1, header name (Content-Type 7, Accept 1),
# padded body (no: 2).
set(json_post "${byte_2}${byte_7}${byte_1}${byte_6}")
set(sep "\\ ")

file(MAKE_DIRECTORY "${OUT}")
set(index 0)
foreach(fixture IN LISTS FIXTURES)
  file(READ "${fixture}" body)
  foreach(setup 1 4 3)
    file(WRITE "${OUT}/seed-${index}-${setup}"
         "/alm${sep}application/json${sep}${body}${json_post}${byte_${setup}}")
  endforeach()
  math(EXPR index "${index} + 1")
endforeach()
# A GET challenge asking for JSON, on the open endpoint.
file(WRITE "${OUT}/seed-challenge"
     "/alm?challenge=abc-123${sep}application/json${sep}${byte_2}${byte_1}${byte_1}${byte_1}${byte_4}")
