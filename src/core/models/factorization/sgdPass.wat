;; The SGD pass of ./sgdFactors.ts (sgdPass) in WebAssembly, for LLORMA's worker threads: the same IEEE operations
;; in the same order, so the results are bit-identical to the TypeScript pass (a unit test checks it). The
;; dot product runs sequentially as in TypeScript; the row update is element-wise, so it runs two factors at a time
;; (f64x2) without changing any rounding. Everything lives in one shared memory; arguments are byte offsets.
;;   e = r − u·v;  w = wu[user]·wi[item] (weighted) or 1;
;;   u_s ← u_s + lr·(e·w·v_s − reg·u_s);  v_s ← v_s + lr·(e·w·u_s − reg·v_s)
;; Σe² and Σ|e| go to out[0], out[1] (f64).
;; Assemble with `node scripts/build-wasm.mjs` (wabt) into sgdPass.wasm.ts.
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "pass")
    (param $rowPtr i32) (param $cols i32) (param $vals i32) (param $u0 i32) (param $u1 i32)
    (param $U i32) (param $V i32) (param $k i32) (param $lr f64) (param $reg f64)
    (param $wu i32) (param $wi i32) (param $weighted i32) (param $out i32)
    (local $u i32) (local $t i32) (local $end i32) (local $pu i32) (local $qi i32) (local $f i32)
    (local $kb i32) (local $k2b i32)
    (local $est f64) (local $e f64) (local $ew f64) (local $wuu f64) (local $a f64) (local $b f64)
    (local $sq f64) (local $ab f64)
    (local $va v128) (local $vb v128) (local $lrv v128) (local $regv v128) (local $ewv v128)
    (local.set $kb (i32.shl (local.get $k) (i32.const 3)))
    ;; bytes of the even part of a row (pairs of factors)
    (local.set $k2b (i32.shl (i32.and (local.get $k) (i32.const -2)) (i32.const 3)))
    (local.set $lrv (f64x2.splat (local.get $lr)))
    (local.set $regv (f64x2.splat (local.get $reg)))
    (local.set $u (local.get $u0))
    (block $udone
      (loop $users
        (br_if $udone (i32.ge_s (local.get $u) (local.get $u1)))
        (local.set $pu (i32.add (local.get $U) (i32.mul (local.get $u) (local.get $kb))))
        (local.set $wuu (f64.const 1))
        (if (local.get $weighted)
          (then (local.set $wuu (f64.load (i32.add (local.get $wu) (i32.shl (local.get $u) (i32.const 3)))))))
        (local.set $t (i32.load (i32.add (local.get $rowPtr) (i32.shl (local.get $u) (i32.const 2)))))
        (local.set $end (i32.load (i32.add (local.get $rowPtr) (i32.shl (i32.add (local.get $u) (i32.const 1)) (i32.const 2)))))
        (block $tdone
          (loop $ratings
            (br_if $tdone (i32.ge_s (local.get $t) (local.get $end)))
            (local.set $qi (i32.add (local.get $V)
              (i32.mul (i32.load (i32.add (local.get $cols) (i32.shl (local.get $t) (i32.const 2)))) (local.get $kb))))
            ;; est = Σ_f U[pu + f]·V[qi + f], in order
            (local.set $est (f64.const 0))
            (local.set $f (i32.const 0))
            (block $ddone
              (loop $dot
                (br_if $ddone (i32.ge_s (local.get $f) (local.get $kb)))
                (local.set $est (f64.add (local.get $est)
                  (f64.mul (f64.load (i32.add (local.get $pu) (local.get $f))) (f64.load (i32.add (local.get $qi) (local.get $f))))))
                (local.set $f (i32.add (local.get $f) (i32.const 8)))
                (br $dot)))
            (local.set $e (f64.sub
              (f64.promote_f32 (f32.load (i32.add (local.get $vals) (i32.shl (local.get $t) (i32.const 2)))))
              (local.get $est)))
            (local.set $sq (f64.add (local.get $sq) (f64.mul (local.get $e) (local.get $e))))
            (local.set $ab (f64.add (local.get $ab) (f64.abs (local.get $e))))
            (local.set $ew (local.get $e))
            (if (local.get $weighted)
              (then (local.set $ew (f64.mul (local.get $e)
                (f64.mul (local.get $wuu)
                  (f64.load (i32.add (local.get $wi)
                    (i32.shl (i32.load (i32.add (local.get $cols) (i32.shl (local.get $t) (i32.const 2)))) (i32.const 3)))))))))
            (local.set $ewv (f64x2.splat (local.get $ew)))
            ;; pairs: a' = a + lr·(ew·b − reg·a), b' = b + lr·(ew·a − reg·b)
            (local.set $f (i32.const 0))
            (block $pdone
              (loop $pairs
                (br_if $pdone (i32.ge_s (local.get $f) (local.get $k2b)))
                (local.set $va (v128.load (i32.add (local.get $pu) (local.get $f))))
                (local.set $vb (v128.load (i32.add (local.get $qi) (local.get $f))))
                (v128.store (i32.add (local.get $pu) (local.get $f))
                  (f64x2.add (local.get $va) (f64x2.mul (local.get $lrv)
                    (f64x2.sub (f64x2.mul (local.get $ewv) (local.get $vb)) (f64x2.mul (local.get $regv) (local.get $va))))))
                (v128.store (i32.add (local.get $qi) (local.get $f))
                  (f64x2.add (local.get $vb) (f64x2.mul (local.get $lrv)
                    (f64x2.sub (f64x2.mul (local.get $ewv) (local.get $va)) (f64x2.mul (local.get $regv) (local.get $vb))))))
                (local.set $f (i32.add (local.get $f) (i32.const 16)))
                (br $pairs)))
            ;; the odd factor, if any
            (if (i32.lt_s (local.get $f) (local.get $kb))
              (then
                (local.set $a (f64.load (i32.add (local.get $pu) (local.get $f))))
                (local.set $b (f64.load (i32.add (local.get $qi) (local.get $f))))
                (f64.store (i32.add (local.get $pu) (local.get $f))
                  (f64.add (local.get $a) (f64.mul (local.get $lr)
                    (f64.sub (f64.mul (local.get $ew) (local.get $b)) (f64.mul (local.get $reg) (local.get $a))))))
                (f64.store (i32.add (local.get $qi) (local.get $f))
                  (f64.add (local.get $b) (f64.mul (local.get $lr)
                    (f64.sub (f64.mul (local.get $ew) (local.get $a)) (f64.mul (local.get $reg) (local.get $b))))))))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $ratings)))
        (local.set $u (i32.add (local.get $u) (i32.const 1)))
        (br $users)))
    (f64.store (local.get $out) (local.get $sq))
    (f64.store offset=8 (local.get $out) (local.get $ab))))
