#!/usr/bin/env python3
# CPU time per loaded document of `argon bench`'s load, by thread group, read from /proc while the bench runs: one
# snapshot at the load's first progress line (10 s in, past most of the JIT's work) and one at its end, so the
# figures cover the load's steady part. Groups: cmd (argon-cmd: command threads), io (argon-io: event loops),
# flush and compact (RocksDB's rocksdb:high and rocksdb:low threads), gc, client (the driver's threads; they can
# exit during the window, so this one can come out wrong), jit. Also minor page faults per document. Linux only.
#
# usage: load_cpu.py LABEL path/to/argon.jar OUT.json [java options...] -- <argon bench arguments>
#   e.g. load_cpu.py new tools/target/argon.jar /tmp/l.json -- --workloads C --records 600000 --seconds 1 --warmup 0
# (records enough for the load to run well past 10 s)
import os,re,sys,time,subprocess,collections
label,jar,out=sys.argv[1:4]; rest=sys.argv[4:]; i=rest.index('--'); jopts=rest[:i]; args=rest[i+1:]
clk=os.sysconf('SC_CLK_TCK'); log=out+'.log'
p=subprocess.Popen(['java','-Xss4m']+jopts+['-jar',jar,'bench']+args+['--json',out],stdout=open(log,'w'),stderr=subprocess.STDOUT)
def group(n):
    for pre,g in [('argon-cmd','cmd'),('argon-io','io'),('rocksdb:high','flush'),('rocksdb:low','compact'),('argon-bench','client'),('cluster','client'),('C2','jit'),('C1','jit'),('GC','gc'),('G1','gc')]:
        if n.startswith(pre): return g
    return 'other'
def snap():
    g=collections.Counter()
    for t in os.listdir(f'/proc/{p.pid}/task'):
        try:
            st=open(f'/proc/{p.pid}/task/{t}/stat').read()
            name=st[st.index('(')+1:st.rindex(')')]; f=st[st.rindex(')')+2:].split()
            g[group(name)]+=(int(f[11])+int(f[12]))/clk; g['flt-'+group(name)]+=int(f[7])
        except Exception: pass
    return g
prog=re.compile(r'^(\S+) load \d+ records \(batches\)\s+(\d+)s\s+(\d+)/(\d+) steps')
endp=re.compile(r'^(\S+) load: insertMany')
pos=0; marks={}; first={}
while p.poll() is None:
    with open(log) as fh: fh.seek(pos); data=fh.read()
    k=data.rfind('\n')
    if k<0: time.sleep(0.02); continue
    pos+=k+1
    for l in data[:k].split('\n'):
        m=prog.match(l)
        if m and m.group(1) not in first: first[m.group(1)]=(int(m.group(3)),int(m.group(4)),snap(),time.time())
        m=endp.match(l)
        if m and m.group(1) in first and m.group(1) not in marks: marks[m.group(1)]=(snap(),time.time())
    time.sleep(0.02)
txt=open(log).read()
for t,(done,total,g1,t1) in first.items():
    if t not in marks: continue
    g2,t2=marks[t]; docs=(total-done)*1000
    d={k:g2[k]-g1[k] for k in set(g1)|set(g2)}
    srv=sum(d.get(k,0) for k in ('cmd','io','flush','compact','gc','other'))
    dps=re.search(re.escape(t)+r' load: ([\d,]+) documents/s',txt)
    print(f"{label} {t}: whole load {dps.group(1) if dps else '?'} docs/s; after 10 s: {docs} docs in {t2-t1:.1f}s = {docs/(t2-t1):.0f}/s; us/doc: server {1e6*srv/docs:.1f} ("+
          " ".join(f"{k} {1e6*d.get(k,0)/docs:.1f}" for k in ('cmd','io','flush','compact','gc','other'))+f") client {1e6*d.get('client',0)/docs:.1f} jit {1e6*d.get('jit',0)/docs:.1f}; faults/doc cmd {d.get('flt-cmd',0)/docs:.2f} all {sum(v for k,v in d.items() if k.startswith('flt-'))/docs:.2f}")
