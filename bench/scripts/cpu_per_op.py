#!/usr/bin/env python3
# CPU time per operation of `argon bench`, split by thread group, read from /proc while the bench runs.
# The bench's client threads and the server share one JVM; thread names tell them apart (argon-cmd: command
# threads, argon-io: Netty event loops, argon-bench/cluster: the driver's client side, C2/C1: the JIT).
# Between two consecutive progress lines of one workload it prints ops/s, server/client/JIT CPU microseconds per
# operation and the server's voluntary context switches per operation: on a shared machine these counts move far
# less than throughput does. Linux only.
#
# usage: cpu_per_op.py LABEL path/to/argon.jar OUT.json -- <argon bench arguments>
#   e.g. cpu_per_op.py new tools/target/argon.jar /tmp/a.json -- --workloads A --records 10000 --seconds 30 --warmup 15
# (--seconds 30 so that at least two progress lines, 10 s apart, fall in the measured phase)
import os,re,sys,time,subprocess,collections,json
label,jar,out=sys.argv[1:4]; args=sys.argv[5:]
clk=os.sysconf('SC_CLK_TCK')
log=out+'.log'
p=subprocess.Popen(['java','-Xss4m','-jar',jar,'bench']+args+['--json',out],stdout=open(log,'w'),stderr=subprocess.STDOUT)
def group(n):
    if n.startswith('argon-cmd'): return 'cmd'
    if n.startswith('argon-io'): return 'io'
    if n.startswith('argon-wal') or n.startswith('argon-accept') or 'rocksdb' in n.lower() or n.startswith('argon-commit') or n.startswith('argon-gc') or n.startswith('argon-ttl'): return 'other-server'
    if n.startswith('argon-bench') or n.startswith('cluster') or n=='java': return 'client'
    if 'Compiler' in n: return 'jit'
    return 'jvm'
def snap():
    g=collections.Counter(); v=collections.Counter()
    try: tids=os.listdir(f'/proc/{p.pid}/task')
    except FileNotFoundError: return None
    for t in tids:
        try:
            st=open(f'/proc/{p.pid}/task/{t}/stat').read()
            name=st[st.index('(')+1:st.rindex(')')]
            f=st[st.rindex(')')+2:].split()
            k=group(name); g[k]+=(int(f[11])+int(f[12]))/clk
            for l in open(f'/proc/{p.pid}/task/{t}/status'):
                if l.startswith('voluntary_ctxt_switches'): v[k]+=int(l.split()[1])
        except Exception: pass
    return g,v
marks=[]; pos=0
pat=re.compile(r'^argon (\S+)(?: x\d+)?\s+(\d+)/(\d+)s\s+([\d,]+) ops')
while p.poll() is None:
    with open(log) as fh:
        fh.seek(pos); data=fh.read(); 
    lines=data.split('\n')
    if not data.endswith('\n'): lines,rest=lines[:-1],lines[-1]
    else: rest=''
    pos+=len(data)-len(rest)
    for l in lines:
        m=pat.match(l)
        if m:
            s=snap()
            if s: marks.append((m.group(1),int(m.group(2)),int(m.group(4).replace(',','')),s))
    time.sleep(0.05)
res={}
for (w1,t1,o1,(g1,v1)),(w2,t2,o2,(g2,v2)) in zip(marks,marks[1:]):
    if w1!=w2: continue
    ops=o2-o1
    d={k:g2[k]-g1[k] for k in set(g1)|set(g2)}
    dv={k:v2[k]-v1[k] for k in set(v1)|set(v2)}
    srv=d.get('cmd',0)+d.get('io',0)+d.get('other-server',0)
    print(f"{label} {w1} {t1}-{t2}s: {ops} ops {ops/(t2-t1):.0f}/s  server {1e6*srv/ops:.1f} us/op (cmd {1e6*d.get('cmd',0)/ops:.1f} io {1e6*d.get('io',0)/ops:.1f} other {1e6*d.get('other-server',0)/ops:.1f})  client {1e6*d.get('client',0)/ops:.1f}  jit {1e6*d.get('jit',0)/ops:.1f}  jvm {1e6*d.get('jvm',0)/ops:.1f}  server vcsw/op {(dv.get('cmd',0)+dv.get('io',0)+dv.get('other-server',0))/ops:.2f}")
os.system(f"grep -h 'fsync\\|commits in' {log} | sed 's/^/   /'")
