#!/usr/bin/env python3
"""Decision-table form of the perfect-tree-traversal graph against the current level form (issue 17).

    /work/venvs/skl-1.9.1/bin/python scripts/experiments/ptt_dtable.py TREES DEPTH ROWS ROUNDS [BINS]

Random perfect trees over 28 features whose thresholds come from BINS (default 256) quantised values per feature,
as XGBoost's `hist` and LightGBM make them. "dtable": every distinct (feature, threshold) pair is compared once per
row (Gather of x rows + LessOrEqual into a [pairs, rows] bool tensor); per level one GatherElements of the pair id
from a [T, 2^l] table and one GatherElements of the decision, then Cast + Add + Add. "dtable_int": the decision
table cast to int32 once. One intra-op thread, interleaved rounds, ratio current/variant per round (median and
quartiles). Outputs are checked equal first. Results are recorded in scripts/large_batch_notes.md.
"""
import numpy as np, onnxruntime as ort, time, sys
from onnx import helper as h, TensorProto as TP, numpy_helper as nh
T=int(sys.argv[1]); D=int(sys.argv[2]); N=int(sys.argv[3]); R=int(sys.argv[4]); F=28; B=int(sys.argv[5]) if len(sys.argv)>5 else 256
rng=np.random.RandomState(0)
edges=np.sort(rng.randn(F,B).astype(np.float32),axis=1)
cols=[rng.randint(0,F,size=(T,1<<l)).astype(np.int32) for l in range(D)]
bins=[rng.randint(0,B,size=(T,1<<l)) for l in range(D)]
ths=[edges[cols[l],bins[l]] for l in range(D)]
leaf=rng.randn(T,1<<D).astype(np.float32)
X=rng.randn(N,F).astype(np.float32)
def init(n,a): return nh.from_array(a,n)
def model(nodes,inits):
    g=h.make_graph(nodes,'g',[h.make_tensor_value_info('x',TP.FLOAT,['N',F])],[h.make_tensor_value_info('y',TP.FLOAT,None)],inits)
    m=h.make_model(g,opset_imports=[h.make_opsetid('',17)]); m.ir_version=8; return m.SerializeToString()
def tail(nodes,inits,p):
    inits+=[init('leaf',leaf),init('ax',np.array([0],np.int64))]
    nodes+=[h.make_node('GatherElements',['leaf',p],['lv'],axis=1),h.make_node('ReduceSum',['lv','ax'],['y'],keepdims=1)]
def legacy():
    nodes=[h.make_node('Transpose',['x'],['xt'],perm=[1,0])];inits=[]
    inits+=[init('c0',cols[0].reshape(T)),init('t0',ths[0].reshape(T,1))]
    nodes+=[h.make_node('Gather',['xt','c0'],['x0'],axis=0),h.make_node('LessOrEqual',['x0','t0'],['d0']),h.make_node('Cast',['d0'],['p0'],to=TP.INT32)]
    p='p0'
    for l in range(1,D):
        inits+=[init(f'c{l}',cols[l]),init(f't{l}',ths[l])]
        nodes+=[h.make_node('GatherElements',[f'c{l}',p],[f'cc{l}'],axis=1),h.make_node('GatherElements',[f't{l}',p],[f'tt{l}'],axis=1),
                h.make_node('GatherElements',['xt',f'cc{l}'],[f'xv{l}'],axis=0),h.make_node('LessOrEqual',[f'xv{l}',f'tt{l}'],[f'd{l}']),
                h.make_node('Cast',[f'd{l}'],[f'di{l}'],to=TP.INT32),h.make_node('Add',[p,p],[f'p2{l}']),h.make_node('Add',[f'p2{l}',f'di{l}'],[f'p{l}'])]
        p=f'p{l}'
    tail(nodes,inits,p); return model(nodes,inits)
def dtable(intD=False, dense=False):
    # unique (feature, bin) pairs used by levels >= 1
    used=sorted(set((int(c),int(b)) for l in range(1,D) for c,b in zip(cols[l].ravel(),bins[l].ravel())))
    if dense: used=[(f,b) for f in range(F) for b in range(B)]
    uid={k:i for i,k in enumerate(used)}
    ucol=np.array([f for f,_ in used],np.int32); uthr=np.array([edges[f,b] for f,b in used],np.float32).reshape(-1,1)
    nodes=[h.make_node('Transpose',['x'],['xt'],perm=[1,0])];inits=[init('ucol',ucol),init('uthr',uthr)]
    nodes+=[h.make_node('Gather',['xt','ucol'],['xu'],axis=0),h.make_node('LessOrEqual',['xu','uthr'],['dt'])]
    dt='dt'
    if intD: nodes.append(h.make_node('Cast',['dt'],['dti'],to=TP.INT32)); dt='dti'
    inits+=[init('c0',cols[0].reshape(T)),init('t0',ths[0].reshape(T,1))]
    nodes+=[h.make_node('Gather',['xt','c0'],['x0'],axis=0),h.make_node('LessOrEqual',['x0','t0'],['d0']),h.make_node('Cast',['d0'],['p0'],to=TP.INT32)]
    p='p0'
    for l in range(1,D):
        ut=np.vectorize(lambda c,b: uid[(int(c),int(b))])(cols[l],bins[l]).astype(np.int32)
        inits.append(init(f'u{l}',ut))
        nodes+=[h.make_node('GatherElements',[f'u{l}',p],[f'uu{l}'],axis=1),h.make_node('GatherElements',[dt,f'uu{l}'],[f'd{l}'],axis=0)]
        di=f'd{l}'
        if not intD: nodes.append(h.make_node('Cast',[f'd{l}'],[f'di{l}'],to=TP.INT32)); di=f'di{l}'
        nodes+=[h.make_node('Add',[p,p],[f'p2{l}']),h.make_node('Add',[f'p2{l}',di],[f'p{l}'])]
        p=f'p{l}'
    print('U',len(used),file=sys.stderr)
    tail(nodes,inits,p); return model(nodes,inits)
V={'current':legacy(),'dtable':dtable(),'dtable_int':dtable(True)}
S={}
for k,m in V.items():
    so=ort.SessionOptions(); so.intra_op_num_threads=1; S[k]=ort.InferenceSession(m,so,providers=['CPUExecutionProvider'])
ref=S['current'].run(None,{'x':X})[0]
for k,s in S.items(): print(k,'maxdiff',float(np.abs(s.run(None,{'x':X})[0]-ref).max()))
res={k:[] for k in S}
for r in range(R):
    for k,s in S.items():
        t=time.perf_counter(); s.run(None,{'x':X}); res[k].append(time.perf_counter()-t)
for k,v in res.items():
    rat=np.array(res['current'])/np.array(v)
    print(f"{k:12s} {np.median(v)/N*1e6:7.2f} us/row  current/this {np.median(rat):.2f} ({np.percentile(rat,25):.2f}-{np.percentile(rat,75):.2f})")
