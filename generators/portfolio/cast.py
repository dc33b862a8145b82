"""The people of the demo PMO: four departments, their heads, project managers and engineers,
the executives, and the customers — Chinese names with the pinyin of their e-mail addresses."""

from __future__ import annotations

from dataclasses import dataclass

DOMAIN = "example.com"  # reserved for examples: no demo mail can reach a real mailbox


@dataclass(frozen=True)
class Person:
    name: str
    pinyin: str  # given name last, as company addresses are written: zhang.wei

    @property
    def email(self) -> str:
        return f"{self.pinyin}@{DOMAIN}"


@dataclass(frozen=True)
class Department:
    name: str
    project_type: str  # what it mostly delivers
    head: Person
    managers: tuple[Person, ...]
    engineers: tuple[Person, ...]


def _people(pairs: str) -> tuple[Person, ...]:
    return tuple(Person(*pair.split(":")) for pair in pairs.split())


DEPARTMENTS = (
    Department(
        "交付一部",
        "系统集成",
        Person("周强", "zhou.qiang"),
        _people("张伟:zhang.wei 刘洋:liu.yang 陈晨:chen.chen 杨帆:yang.fan"),
        _people("赵敏:zhao.min 黄磊:huang.lei 吴昊:wu.hao 徐婷:xu.ting 孙涛:sun.tao 马超:ma.chao"),
    ),
    Department(
        "交付二部",
        "系统集成",
        Person("郑浩", "zheng.hao"),
        _people("王芳:wang.fang 李强:li.qiang 何静:he.jing 高翔:gao.xiang"),
        _people("罗斌:luo.bin 梁爽:liang.shuang 宋佳:song.jia 唐亮:tang.liang 韩雪:han.xue"),
    ),
    Department(
        "软件开发部",
        "软件开发",
        Person("冯军", "feng.jun"),
        _people("林峰:lin.feng 许诺:xu.nuo 邓超:deng.chao"),
        _people("曹阳:cao.yang 彭亮:peng.liang 曾敏:zeng.min 田甜:tian.tian 董洁:dong.jie"),
    ),
    Department(
        "运维服务部",
        "IT服务",
        Person("袁华", "yuan.hua"),
        _people("蒋涛:jiang.tao 蔡琳:cai.lin 潘越:pan.yue"),
        _people("余波:yu.bo 杜鹃:du.juan 叶青:ye.qing 程刚:cheng.gang"),
    ),
)
EXECUTIVES = _people("王建国:wang.jianguo 李卫东:li.weidong")
PMO = _people("孟琪:meng.qi")
ACCOUNT_MANAGERS = _people("陈静:chen.jing 沈磊:shen.lei 秦月:qin.yue")
APPROVER = EXECUTIVES[1]  # signs initiations, changes and closures for the company
SHARED_ENGINEER = DEPARTMENTS[0].engineers[0]  # on three projects at once: over capacity

CUSTOMERS = (
    ("华东精密制造有限公司", "华东精密"),
    ("江南汽车零部件股份有限公司", "江南汽配"),
    ("苏州恒信电子有限公司", "恒信电子"),
    ("浙江海川化工集团", "海川化工"),
    ("上海申城地铁运营有限公司", "申城地铁"),
    ("南京长江医药股份有限公司", "长江医药"),
    ("合肥鑫源光伏科技有限公司", "鑫源光伏"),
    ("宁波港联物流有限公司", "港联物流"),
    ("无锡华润纺织有限公司", "华润纺织"),
    ("杭州西溪银行股份有限公司", "西溪银行"),
    ("常州天合机械有限公司", "天合机械"),
    ("上海瑞金联合医院", "瑞金联合"),
    ("嘉兴禾丰食品有限公司", "禾丰食品"),
    ("扬州东方电力设备有限公司", "东方电力"),
    ("绍兴柯桥纺织城管委会", "柯桥纺织城"),
    ("南通中远船务工程有限公司", "中远船务"),
    ("温州正泰仪表有限公司", "正泰仪表"),
    ("徐州徐工液压件有限公司", "徐工液压"),
    ("安徽皖江水务集团", "皖江水务"),
    ("上海浦东新区政务服务中心", "浦东政务"),
)
SYSTEMS = {  # what each kind of project puts in, as named in a project's short name
    "系统集成": ("MES", "机房改造", "网络升级", "视频监控", "仓储WMS", "能耗监测"),
    "软件开发": ("ERP接口", "数据中台", "移动审批", "客户门户", "质检系统"),
    "IT服务": ("桌面运维", "云迁移", "安全加固", "容灾演练"),
}
