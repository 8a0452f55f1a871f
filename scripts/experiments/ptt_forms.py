#!/usr/bin/env python3
"""Per-level op forms of the perfect-tree-traversal graph, timed against each other in ONNX Runtime (issue 17).

    /work/venvs/skl-1.9.1/bin/python scripts/experiments/ptt_forms.py TREES DEPTH ROWS ROUNDS [--profile]

Builds the current form (per level: GatherElements of the column and of the threshold from [T, 2^l] tables,
GatherElements of x from the transposed input, LessOrEqual, Cast, Add, Add) and the alternatives tried for
issue 17 on random perfect trees (28 features), checks they give the same output, and times them interleaved
in one process with one intra-op thread: per round ratio current/variant, median and quartiles.
--profile prints ONNX Runtime's per-op-type kernel time of the current form instead.
Variants: heap (one global level-major index h = 2h + d, flat 1-D tables read with Gather), heap_where
(the same with Where instead of Cast), whereupd (Where(d, 2p+1, 2p) instead of Cast + Add), lvl1where (level 1's
column and threshold by Where from [T,1] constants), dec2/dec3 (levels up to 2 or 3 as row-block decisions:
Gather of x rows for every node of the level, compare, GatherElements of the decision), rowmajor ([N, T]
layout, no transpose). (Sum over int32 is not registered by ONNX Runtime's CPU provider, so 2p + d needs
two Adds.) Results are recorded in BENCHMARKS.md, "Large batches".
"""
import numpy as np, onnx, onnxruntime as ort, time, sys, json, collections
from onnx import helper as h, TensorProto as TP, numpy_helper as nh
T=int(sys.argv[1]); D=int(sys.argv[2]); N=int(sys.argv[3]); F=28
rng=np.random.RandomState(0)
cols=[rng.randint(0,F,size=(T,1<<l)).astype(np.int32) for l in range(D)]
ths=[rng.randn(T,1<<l).astype(np.float32) for l in range(D)]
leaf=rng.randn(T,1<<D).astype(np.float32)
X=rng.randn(N,F).astype(np.float32)
def init(name,a): return nh.from_array(a,name)
def model(nodes,inits):
    g=h.make_graph(nodes,'g',[h.make_tensor_value_info('x',TP.FLOAT,['N',F])],[h.make_tensor_value_info('y',TP.FLOAT,None)],inits)
    m=h.make_model(g,opset_imports=[h.make_opsetid('',17)]); m.ir_version=8; return m.SerializeToString()
def common_head(nodes,inits):
    nodes.append(h.make_node('Transpose',['x'],['xt'],perm=[1,0]))
def legacy():
    nodes=[];inits=[];common_head(nodes,inits)
    inits.append(init('c0',cols[0].reshape(T))); inits.append(init('t0',ths[0].reshape(T,1)))
    nodes+= [h.make_node('Gather',['xt','c0'],['x0'],axis=0),h.make_node('LessOrEqual',['x0','t0'],['d0']),h.make_node('Cast',['d0'],['p0'],to=TP.INT32)]
    p='p0'
    for l in range(1,D):
        inits+=[init(f'c{l}',cols[l]),init(f't{l}',ths[l])]
        nodes+=[h.make_node('GatherElements',[f'c{l}',p],[f'cc{l}'],axis=1),h.make_node('GatherElements',[f't{l}',p],[f'tt{l}'],axis=1),
                h.make_node('GatherElements',['xt',f'cc{l}'],[f'xv{l}'],axis=0),h.make_node('LessOrEqual',[f'xv{l}',f'tt{l}'],[f'd{l}']),
                h.make_node('Cast',[f'd{l}'],[f'di{l}'],to=TP.INT32),h.make_node('Add',[p,p],[f'p2{l}']),h.make_node('Add',[f'p2{l}',f'di{l}'],[f'p{l}'])]
        p=f'p{l}'
    inits.append(init('leaf',leaf))
    nodes+=[h.make_node('GatherElements',['leaf',p],['lv'],axis=1),h.make_node('ReduceSum',['lv','ax'],['y'],keepdims=1)]
    inits.append(init('ax',np.array([0],np.int64)))
    return model(nodes,inits)
def heap(sumop=False, where=False):
    # global index h: level-major, T dummy roots; node of tree t at level l, pos p -> ((T+t)<<l)+p
    size=T<<D
    call=np.zeros(size,np.int32); tall=np.full(size,np.nan,np.float32)
    for l in range(D):
        for t in range(T):
            base=(T+t)<<l
            call[base:base+(1<<l)]=cols[l][t]; tall[base:base+(1<<l)]=ths[l][t]
    nodes=[];inits=[init('call',call),init('tall',tall),init('h0',np.arange(T,2*T,dtype=np.int32).reshape(T,1))];common_head(nodes,inits)
    # level 0: h0 [T,1] constant -> col [T,1]; gather xt rows -> [T,N]
    inits.append(init('c0',cols[0].reshape(T))); inits.append(init('t0',ths[0].reshape(T,1)))
    nodes+= [h.make_node('Gather',['xt','c0'],['x0'],axis=0),h.make_node('LessOrEqual',['x0','t0'],['d0']),h.make_node('Cast',['d0'],['di0'],to=TP.INT32)]
    inits.append(init('h0x2',(2*np.arange(T,2*T,dtype=np.int32)).reshape(T,1)))
    nodes.append(h.make_node('Add',['h0x2','di0'],['p0']))
    p='p0'
    for l in range(1,D):
        nodes+=[h.make_node('Gather',['call',p],[f'cc{l}'],axis=0),h.make_node('Gather',['tall',p],[f'tt{l}'],axis=0),
                h.make_node('GatherElements',['xt',f'cc{l}'],[f'xv{l}'],axis=0),h.make_node('LessOrEqual',[f'xv{l}',f'tt{l}'],[f'd{l}'])]
        if where:
            nodes+=[h.make_node('Add',[p,p],[f'p2{l}']),h.make_node('Add',[f'p2{l}','one'],[f'p2o{l}']),h.make_node('Where',[f'd{l}',f'p2o{l}',f'p2{l}'],[f'p{l}'])]
        elif sumop:
            nodes+=[h.make_node('Cast',[f'd{l}'],[f'di{l}'],to=TP.INT32),h.make_node('Sum',[p,p,f'di{l}'],[f'p{l}'])]
        else:
            nodes+=[h.make_node('Cast',[f'd{l}'],[f'di{l}'],to=TP.INT32),h.make_node('Add',[p,p],[f'p2{l}']),h.make_node('Add',[f'p2{l}',f'di{l}'],[f'p{l}'])]
        p=f'p{l}'
    inits.append(init('one',np.array(1,np.int32)))
    inits.append(init('leafflat',leaf.reshape(-1))); inits.append(init('loff',np.array(-(T<<D),np.int32)))
    nodes+=[h.make_node('Add',[p,'loff'],['li']),h.make_node('Gather',['leafflat','li'],['lv'],axis=0),h.make_node('ReduceSum',['lv','ax'],['y'],keepdims=1)]
    inits.append(init('ax',np.array([0],np.int64)))
    return model(nodes,inits)
def variant(lvl1where=False, whereupd=False, dec_levels=0):
    nodes=[];inits=[init('one',np.array(1,np.int32)),init('ax',np.array([0],np.int64))];common_head(nodes,inits)
    inits.append(init('c0',cols[0].reshape(T))); inits.append(init('t0',ths[0].reshape(T,1)))
    nodes+= [h.make_node('Gather',['xt','c0'],['x0'],axis=0),h.make_node('LessOrEqual',['x0','t0'],['d0']),h.make_node('Cast',['d0'],['p0'],to=TP.INT32)]
    p='p0'; d='d0'
    for l in range(1,D):
        if l==1 and lvl1where:
            inits+=[init('c1t',cols[1][:,1:2].copy()),init('c1f',cols[1][:,0:1].copy()),init('t1t',ths[1][:,1:2].copy()),init('t1f',ths[1][:,0:1].copy())]
            nodes+=[h.make_node('Where',[d,'c1t','c1f'],['cc1']),h.make_node('Where',[d,'t1t','t1f'],['tt1'])]
        elif l<=dec_levels:
            w=1<<l
            # pos-major: [w, T]
            inits+=[init(f'cpm{l}',cols[l].T.copy()),init(f'tpm{l}',ths[l].T.copy().reshape(w,T,1))]
            nodes+=[h.make_node('Gather',['xt',f'cpm{l}'],[f'xl{l}'],axis=0), # [w,T,N]
                    h.make_node('LessOrEqual',[f'xl{l}',f'tpm{l}'],[f'dl{l}']),
                    h.make_node('Unsqueeze',[p,'ax'],[f'pu{l}']),
                    h.make_node('GatherElements',[f'dl{l}',f'pu{l}'],[f'dg{l}'],axis=0),
                    h.make_node('Squeeze',[f'dg{l}','ax'],[f'd{l}'])]
        if not (l<=dec_levels and l>1 or (l==1 and not lvl1where and dec_levels>=1)):
            if not (l==1 and lvl1where):
                inits+=[init(f'c{l}',cols[l]),init(f't{l}',ths[l])]
                nodes+=[h.make_node('GatherElements',[f'c{l}',p],[f'cc{l}'],axis=1),h.make_node('GatherElements',[f't{l}',p],[f'tt{l}'],axis=1)]
            nodes+=[h.make_node('GatherElements',['xt',f'cc{l}'],[f'xv{l}'],axis=0),h.make_node('LessOrEqual',[f'xv{l}',f'tt{l}'],[f'd{l}'])]
        if whereupd:
            nodes+=[h.make_node('Add',[p,p],[f'p2{l}']),h.make_node('Add',[f'p2{l}','one'],[f'p2o{l}']),h.make_node('Where',[f'd{l}',f'p2o{l}',f'p2{l}'],[f'p{l}'])]
        else:
            nodes+=[h.make_node('Cast',[f'd{l}'],[f'di{l}'],to=TP.INT32),h.make_node('Add',[p,p],[f'p2{l}']),h.make_node('Add',[f'p2{l}',f'di{l}'],[f'p{l}'])]
        p=f'p{l}'; d=f'd{l}'
    inits.append(init('leaf',leaf))
    nodes+=[h.make_node('GatherElements',['leaf',p],['lv'],axis=1),h.make_node('ReduceSum',['lv','ax'],['y'],keepdims=1)]
    return model(nodes,inits)
def rowmajor():
    nodes=[];inits=[init('ax1',np.array([1],np.int64))]
    inits.append(init('c0',cols[0].reshape(T))); inits.append(init('t0',ths[0].reshape(1,T)))
    nodes+= [h.make_node('Gather',['x','c0'],['x0'],axis=1),h.make_node('LessOrEqual',['x0','t0'],['d0']),h.make_node('Cast',['d0'],['p0'],to=TP.INT32)]
    p='p0'
    for l in range(1,D):
        inits+=[init(f'c{l}',cols[l].T.copy()),init(f't{l}',ths[l].T.copy())]
        nodes+=[h.make_node('GatherElements',[f'c{l}',p],[f'cc{l}'],axis=0),h.make_node('GatherElements',[f't{l}',p],[f'tt{l}'],axis=0),
                h.make_node('GatherElements',['x',f'cc{l}'],[f'xv{l}'],axis=1),h.make_node('LessOrEqual',[f'xv{l}',f'tt{l}'],[f'd{l}']),
                h.make_node('Cast',[f'd{l}'],[f'di{l}'],to=TP.INT32),h.make_node('Add',[p,p],[f'p2{l}']),h.make_node('Add',[f'p2{l}',f'di{l}'],[f'p{l}'])]
        p=f'p{l}'
    inits.append(init('leaf',leaf.T.copy()))
    nodes+=[h.make_node('GatherElements',['leaf',p],['lv'],axis=0),h.make_node('ReduceSum',['lv','ax1'],['y'],keepdims=1)]
    return model(nodes,inits)

def main():
    if "--profile" in sys.argv:
        so = ort.SessionOptions(); so.intra_op_num_threads = 1; so.enable_profiling = True
        so.profile_file_prefix = "ptt_forms_profile"
        s = ort.InferenceSession(legacy(), so, providers=["CPUExecutionProvider"])
        for _ in range(10):
            s.run(None, {"x": X})
        f = s.end_profiling()
        agg, cnt = collections.Counter(), collections.Counter()
        for e in json.load(open(f)):
            if e.get("cat") == "Node" and e["name"].endswith("_kernel_time"):
                agg[e["args"]["op_name"]] += e["dur"]; cnt[e["args"]["op_name"]] += 1
        tot = sum(agg.values())
        for op, d in agg.most_common():
            print(f"{op:16s} {d / 10 / 1000:8.2f} ms/run {100 * d / tot:5.1f}%  calls/run {cnt[op] // 10}")
        return
    variants = {"current": legacy(), "heap": heap(), "heap_where": heap(where=True), "whereupd": variant(whereupd=True),
                "lvl1where": variant(lvl1where=True), "dec2": variant(dec_levels=2), "dec3": variant(dec_levels=3),
                "rowmajor": rowmajor()}
    sess = {}
    for k, m in variants.items():
        so = ort.SessionOptions(); so.intra_op_num_threads = 1
        so.log_severity_level = 3
        sess[k] = ort.InferenceSession(m, so, providers=["CPUExecutionProvider"])
    ref = sess["current"].run(None, {"x": X})[0].reshape(-1)
    for k, s in sess.items():
        print(k, "max |diff| to current", float(np.abs(s.run(None, {"x": X})[0].reshape(-1) - ref).max()))
    res = {k: [] for k in sess}
    for r in range(int(sys.argv[4])):
        for k, s in sess.items():
            t = time.perf_counter(); s.run(None, {"x": X}); res[k].append(time.perf_counter() - t)
    for k, v in res.items():
        rat = np.array(res["current"]) / np.array(v)
        print(f"{k:12s} median {np.median(v) * 1e3:8.2f} ms  {np.median(v) / N * 1e6:7.2f} us/row  "
              f"current/this per round: median {np.median(rat):.2f} (quartiles {np.percentile(rat, 25):.2f}-"
              f"{np.percentile(rat, 75):.2f})")


if __name__ == "__main__":
    main()
