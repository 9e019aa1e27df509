;; scoreRows(rows, count, d, vector, out): out[k] = rows[k·d … k·d+d) · vector for k < count.
;; Pointers are byte offsets of float64 arrays in the imported memory. f64x2 SIMD, two
;; accumulators per row, a scalar tail for d % 4. Assembled by scripts/build-wasm.mjs into
;; src/score-rows-wasm.ts.
(module
  (import "env" "memory" (memory 1))
  (func (export "scoreRows") (param $rows i32) (param $count i32) (param $d i32) (param $vector i32) (param $out i32)
    (local $k i32) (local $r i32) (local $v i32) (local $end i32) (local $tailEnd i32)
    (local $acc0 v128) (local $acc1 v128) (local $sum f64)
    (local.set $tailEnd (i32.add (local.get $vector) (i32.shl (local.get $d) (i32.const 3))))
    (local.set $end (i32.add (local.get $vector) (i32.shl (i32.and (local.get $d) (i32.const -4)) (i32.const 3))))
    (local.set $r (local.get $rows))
    (block $rowsDone
      (loop $eachRow
        (br_if $rowsDone (i32.ge_u (local.get $k) (local.get $count)))
        (local.set $acc0 (v128.const f64x2 0 0))
        (local.set $acc1 (v128.const f64x2 0 0))
        (local.set $v (local.get $vector))
        (block $bodyDone
          (loop $body
            (br_if $bodyDone (i32.ge_u (local.get $v) (local.get $end)))
            (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (v128.load (local.get $r)) (v128.load (local.get $v)))))
            (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (v128.load offset=16 (local.get $r)) (v128.load offset=16 (local.get $v)))))
            (local.set $r (i32.add (local.get $r) (i32.const 32)))
            (local.set $v (i32.add (local.get $v) (i32.const 32)))
            (br $body)))
        (local.set $acc0 (f64x2.add (local.get $acc0) (local.get $acc1)))
        (local.set $sum (f64.add (f64x2.extract_lane 0 (local.get $acc0)) (f64x2.extract_lane 1 (local.get $acc0))))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $v) (local.get $tailEnd)))
            (local.set $sum (f64.add (local.get $sum) (f64.mul (f64.load (local.get $r)) (f64.load (local.get $v)))))
            (local.set $r (i32.add (local.get $r) (i32.const 8)))
            (local.set $v (i32.add (local.get $v) (i32.const 8)))
            (br $tail)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 3))) (local.get $sum))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $eachRow)))))
